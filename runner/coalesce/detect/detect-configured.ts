/**
 * A project's own detectors (`coalesce.detectors`): shell commands run in the repository that
 * print findings, one JSON object per line (`{"kind", "files"?, "task"?, "lines"?, "detail",
 * "fix"}`) or one `{"findings": [...]}` document. A command that is missing, hangs past its
 * timeout, fails, or prints anything else is a config problem: UserError (exit 2) naming the line.
 */
import { z } from "zod";
import { parseDuration } from "../../../coordination/base/duration.js";
import { UserError } from "../../../coordination/base/errors.js";
import { decode, runProcess } from "../../../coordination/base/spawn.js";
import { locateConfigValue, type DetectorConfig } from "../config.js";
import type { Finding } from "../findings.js";

const findingSchema = z
  .object({
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, "kind must be lowercase-with-dashes"),
    files: z.array(z.string()).optional(),
    task: z.string().optional(),
    lines: z.array(z.string()).optional(),
    detail: z.string().min(1),
    fix: z.string().min(1),
  })
  .strict();

/** What a detector printed: findings, or the first line that is not one. */
export type DetectorOutput =
  | { ok: true; findings: Finding[] }
  | { ok: false; line: number; text: string; problem: string };

/** Parses a detector's stdout (JSON lines, or one `{findings: [...]}` document). Pure. */
export function parseDetectorOutput(
  stdout: string,
  detector: string,
): DetectorOutput {
  const trimmed = stdout.trim();
  if (trimmed.startsWith("{") && trimmed.includes('"findings"')) {
    try {
      const doc = JSON.parse(trimmed) as { findings?: unknown };
      if (Array.isArray(doc.findings))
        return parseItems(
          doc.findings.map((item) => [1, item]),
          detector,
        );
    } catch {
      // Not one document: read it as JSON lines below.
    }
  }
  const items: [number, unknown][] = [];
  const lines = stdout.split(/\r?\n/);
  for (const [i, text] of lines.entries()) {
    if (text.trim() === "") continue;
    try {
      items.push([i + 1, JSON.parse(text)]);
    } catch {
      return {
        ok: false,
        line: i + 1,
        text: text.slice(0, 120),
        problem: "not JSON",
      };
    }
  }
  return parseItems(items, detector, lines);
}

function parseItems(
  items: [number, unknown][],
  detector: string,
  lines?: string[],
): DetectorOutput {
  const findings: Finding[] = [];
  for (const [line, item] of items) {
    const parsed = findingSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      return {
        ok: false,
        line,
        text: (lines?.[line - 1] ?? JSON.stringify(item)).slice(0, 120),
        problem: `${where}${issue?.message ?? "not a finding"}`,
      };
    }
    findings.push({ ...parsed.data, detector });
  }
  return { ok: true, findings };
}

/** Runs configured detector `index` in `dir`; throws UserError naming its config line on any failure. */
export async function runConfiguredDetector(
  repoDir: string,
  dir: string,
  detector: DetectorConfig,
  index: number,
  signal?: AbortSignal,
): Promise<Finding[]> {
  const timeoutMs = parseDuration(detector.timeout) ?? 120_000;
  const result = await runProcess(detector.command, [], {
    cwd: dir,
    shell: true,
    timeoutMs,
    signal,
    maxOutputBytes: 16 * 1024 * 1024,
  });
  const fail = async (what: string) => {
    const at = await locateConfigValue(repoDir, [
      "coalesce",
      "detectors",
      index,
      "command",
    ]);
    return new UserError(
      "bad-detector",
      `${at}: coalesce.detectors[${index}] '${detector.name}' (${detector.command}) ${what}`,
    );
  };
  if (signal?.aborted) return [];
  const stderr = decode(result.stderr).trim().split("\n").slice(-3).join(" | ");
  if (result.timedOut)
    throw await fail(
      `did not finish within ${detector.timeout} and was killed; fix it or raise its timeout:`,
    );
  if (result.exitCode === 127 || result.exitCode === 126)
    throw await fail(
      `cannot run: ${stderr || "command not found"}; install it or fix the command`,
    );
  const output = parseDetectorOutput(decode(result.stdout), detector.name);
  if (!output.ok)
    throw await fail(
      `printed something that is not a finding on its output line ${output.line} (${output.problem}): '${output.text}'; print one JSON object per line: {"kind": "...", "files": ["..."], "detail": "...", "fix": "..."}`,
    );
  // Linters often exit 1 when they find something; past that the command itself failed.
  if (result.exitCode !== 0 && result.exitCode !== 1)
    throw await fail(
      `exited with ${result.exitCode ?? result.signal}: ${stderr}; make it exit 0 (or 1) after printing its findings`,
    );
  return output.findings;
}
