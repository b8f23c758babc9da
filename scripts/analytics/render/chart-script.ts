/**
 * The HTML report's chart script and styles, to inline in the page (one self-contained file, no
 * network): prebuilt by `npm run build` (esbuild bundles page/draw-charts.ts with uPlot into
 * dist/scripts/analytics/render/), or bundled here on first use when running from the sources
 * (esbuild is a devDependency: a source checkout has it). Synchronous, as the renderer is.
 */
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as Esbuild from "esbuild";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const JS = "report-charts.bundle.js";
const CSS = "report-charts.bundle.css";

/** The chart script and its stylesheet. */
export interface ChartScript {
  js: string;
  css: string;
}

function bundle(): ChartScript {
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  const result = esbuild.buildSync({
    entryPoints: {
      "report-charts.bundle": path.join(HERE, "page", "draw-charts.ts"),
    },
    bundle: true,
    format: "iife",
    target: "es2020",
    minify: true,
    write: false,
    outdir: HERE,
    logLevel: "silent",
  });
  const text = (ext: string) =>
    result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? "";
  return { js: text(".js"), css: text(".css") };
}

/** Writes the bundle beside the compiled renderer (the build). */
export async function writeChartScript(outDir: string): Promise<void> {
  const { js, css } = bundle();
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, JS), js);
  await writeFile(path.join(outDir, CSS), css);
}

let cached: ChartScript | undefined;

/** The prebuilt bundle if this is a build, else one made now (once per process). */
export function chartScript(): ChartScript {
  if (cached === undefined) {
    try {
      cached = {
        js: readFileSync(path.join(HERE, JS), "utf8"),
        css: readFileSync(path.join(HERE, CSS), "utf8"),
      };
    } catch {
      cached = bundle();
    }
  }
  return cached;
}
