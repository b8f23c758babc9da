/**
 * Duplicated code, found by jscpd (pinned at 5.3.2: it works on any language and runs here): each
 * clone pair becomes one `duplicate-code` finding with both files and line ranges.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SwarmError } from "../../../coordination/base/errors.js";
import { decode, runProcess } from "../../../coordination/base/spawn.js";
import type { CoalesceConfig } from "../config.js";
import type { Finding } from "../findings.js";
import { resolveToolScript } from "./tool-path.js";

// Documents and data repeat by nature (PROGRESS.md and its archive, lock files, fixtures).
const ALWAYS_IGNORED = [
  "**/node_modules/**",
  "**/.git/**",
  "**/.gitswarm/**",
  "**/*.md",
  "**/*.json",
  "**/*.yaml",
  "**/*.yml",
  "**/*.lock",
];

/** Runs jscpd over `dir` and returns its clone pairs as findings. SwarmError when jscpd fails. */
export async function detectDuplicates(
  dir: string,
  config: CoalesceConfig["duplicates"],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<Finding[]> {
  const out = await mkdtemp(path.join(os.tmpdir(), "gitswarm-jscpd-"));
  try {
    const args = [
      resolveToolScript("jscpd"),
      "--reporters",
      "json",
      "--output",
      out,
      "--silent",
      "--min-lines",
      String(config.minLines),
      "--min-tokens",
      String(config.minTokens),
      "--ignore",
      [...ALWAYS_IGNORED, ...config.ignore].join(","),
      ".",
    ];
    const result = await runProcess(process.execPath, args, {
      cwd: dir,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    const report = await readFile(
      path.join(out, "jscpd-report.json"),
      "utf8",
    ).catch(() => undefined);
    if (result.exitCode !== 0 || report === undefined) {
      const why = result.timedOut
        ? `timed out after ${options.timeoutMs} ms (raise coalesce.timeout)`
        : decode(result.stderr).trim().slice(-400) || `exit ${result.exitCode}`;
      throw new SwarmError("detector-failed", `jscpd failed in ${dir}: ${why}`);
    }
    return parseJscpdReport(report);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

interface JscpdSide {
  name: string;
  start: number;
  end: number;
}

/** The clone pairs of a jscpd JSON report as `duplicate-code` findings. Pure; throws on non-JSON. */
export function parseJscpdReport(text: string): Finding[] {
  const report = JSON.parse(text) as {
    duplicates?: {
      firstFile: JscpdSide;
      secondFile: JscpdSide;
      lines: number;
      tokens?: number;
    }[];
  };
  return (report.duplicates ?? []).map((clone) => {
    const sides = [clone.firstFile, clone.secondFile];
    const ranges = sides.map((s) => `${toPosix(s.name)}:${s.start}-${s.end}`);
    const files = [...new Set(sides.map((s) => toPosix(s.name)))];
    const where = files.length === 1 ? "within" : "between";
    return {
      kind: "duplicate-code",
      files,
      lines: ranges,
      size: clone.lines,
      detail: `${clone.lines} lines${clone.tokens ? ` (${clone.tokens} tokens)` : ""} duplicated ${where} ${ranges.join(" and ")}`,
      fix: "extract the shared code into one function or module and call it from both places, preserving behaviour",
    };
  });
}

function toPosix(name: string): string {
  return name.split(path.sep).join("/").replace(/^\.\//, "");
}
