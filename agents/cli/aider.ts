/**
 * aider in scripting mode: `aider --message PROMPT --yes-always`. It prints plain text; after each
 * model call a line `Tokens: 2.3k sent, 145 received. Cost: $0.01 message, $0.02 session.`
 * Commits are left to the runner (`--no-auto-commits`). Unlike the other drivers this one has not run
 * against the real CLI: aider is a pip package and PyPI is not reachable where the tests run, so it
 * is checked only against a fake executable printing aider's documented output.
 */
import type { AgentSpec } from "../config.js";
import {
  classifyFailureText,
  lastLines,
  type CliResult,
} from "./cli-result.js";

/** The argument list for one task. */
export function aiderArgs(prompt: string, spec: AgentSpec): string[] {
  return [
    "--message",
    prompt,
    "--yes-always",
    "--no-auto-commits",
    "--no-pretty",
    "--no-stream",
    "--no-check-update",
    "--no-show-release-notes",
    ...(spec.model !== undefined ? ["--model", spec.model] : []),
  ];
}

/** Reads `2.3k`, `145`, `1.2M` token counts. */
export function parseTokenCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (match === null) return 0;
  const scale =
    match[2]?.toLowerCase() === "k"
      ? 1e3
      : match[2]?.toLowerCase() === "m"
        ? 1e6
        : 1;
  return Math.round(Number(match[1]) * scale);
}

const TOKENS_LINE =
  /Tokens:\s*([\d.]+[kKmM]?)\s+sent(?:,\s*([\d.]+[kKmM]?)\s+cache write)?(?:,\s*([\d.]+[kKmM]?)\s+cache hit)?,\s*([\d.]+[kKmM]?)\s+received\.(?:\s*Cost:\s*\$([\d.]+)\s+message,\s*\$([\d.]+)\s+session\.)?/g;

/** Parses a finished aider run. */
export function parseAider(
  stdout: string,
  stderr: string,
  exitCode: number | null,
  now = new Date(),
): CliResult {
  let calls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd: number | undefined;
  for (const match of stdout.matchAll(TOKENS_LINE)) {
    calls += 1;
    inputTokens += parseTokenCount(match[1] ?? "0");
    outputTokens += parseTokenCount(match[4] ?? "0");
    if (match[5] !== undefined) costUsd = (costUsd ?? 0) + Number(match[5]);
  }
  const counts = {
    calls,
    inputTokens,
    outputTokens,
    ...(costUsd !== undefined
      ? { costUsd: Math.round(costUsd * 1e6) / 1e6 }
      : {}),
  };
  const text = `${stdout}\n${stderr}`;
  // aider reports API errors and still exits 0, so the text decides.
  const failed =
    exitCode !== 0 ||
    /litellm\.\w*Error|RateLimitError|AuthenticationError|The API provider has rate limited you/i.test(
      text,
    );
  if (!failed) {
    const summary = lastLines(stdout.replace(TOKENS_LINE, ""), 3);
    return {
      verdict: { kind: "finished", summary: summary || "finished" },
      ...counts,
    };
  }
  return {
    verdict: {
      kind: "failed",
      error: classifyFailureText(text, exitCode, now),
    },
    ...counts,
  };
}
