/**
 * The page's script and stylesheet. A package ships them prebuilt (`npm run build` bundles
 * page/app.ts and page/style.css with esbuild into dist/runner/dashboard/page/); run from the
 * sources, they are bundled on first request. Nothing is fetched from the network, ever.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** The bundled files' names, beside the compiled page modules. */
export const BUNDLE_JS = "dashboard.bundle.js";
/** The bundled stylesheet's name. */
export const BUNDLE_CSS = "dashboard.style.css";

const PAGE_DIR = fileURLToPath(new URL("./page/", import.meta.url));

/** The page's script and stylesheet, as served. */
export interface PageAssets {
  js: string;
  css: string;
}

/**
 * Bundles the page with esbuild (a devDependency: the build and a source checkout have it).
 * `outDir` set: writes the two files there (the build); else returns them.
 */
export async function bundlePage(outDir?: string): Promise<PageAssets> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: {
      [BUNDLE_JS.replace(/\.js$/, "")]: path.join(PAGE_DIR, "app.ts"),
      [BUNDLE_CSS.replace(/\.css$/, "")]: path.join(PAGE_DIR, "style.css"),
    },
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    outdir: outDir ?? PAGE_DIR,
    logLevel: "silent",
  });
  const js = result.outputFiles.find((f) => f.path.endsWith(".js"))?.text ?? "";
  const css =
    result.outputFiles.find((f) => f.path.endsWith(".css"))?.text ?? "";
  if (outDir !== undefined) {
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, BUNDLE_JS), js);
    await writeFile(path.join(outDir, BUNDLE_CSS), css);
  }
  return { js, css };
}

let cached: Promise<PageAssets> | undefined;

/** The prebuilt assets if this is a build, else a bundle made now (once per process). */
export function loadPageAssets(): Promise<PageAssets> {
  cached ??= Promise.all([
    readFile(path.join(PAGE_DIR, BUNDLE_JS), "utf8"),
    readFile(path.join(PAGE_DIR, BUNDLE_CSS), "utf8"),
  ]).then(
    ([js, css]) => ({ js, css }),
    () => bundlePage(),
  );
  return cached;
}
