/**
 * `gitswarm oracle diff CASE`: one case's expected and actual outputs as a unified line diff.
 * The diff itself is a pure function (LCS over lines, hunks with context).
 */
import { UserError } from "../coordination/base/errors.js";
import type { OracleConfig } from "./config.js";
import { runOracle } from "./run.js";
import type { CaseResult } from "./types.js";

/** Runs one case and returns its result and a diff of the normalised outputs ('' when it passed). */
export async function diffOracleCase(options: {
  repoDir: string;
  config: OracleConfig;
  caseId: string;
  signal?: AbortSignal;
}): Promise<{ result: CaseResult; diff: string }> {
  const caseId = options.caseId.replace(/\\/g, "/").replace(/^\.\//, "");
  const report = await runOracle({
    repoDir: options.repoDir,
    config: { ...options.config, cases: [caseId] },
    fullDetail: true,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const result = report.cases[0];
  if (result === undefined)
    throw new UserError("oracle-no-case", `no case ${caseId}`);
  const diff =
    result.expected !== undefined
      ? renderLineDiff(result.expected, result.actual ?? "")
      : "";
  return { result, diff };
}

const MAX_CELLS = 4_000_000;

/** A unified diff (`-` expected, `+` actual) with `context` lines around each change. */
export function renderLineDiff(
  expected: string,
  actual: string,
  context = 3,
): string {
  // A final newline on both sides is not a line of its own.
  const both = expected.endsWith("\n") && actual.endsWith("\n");
  const a = (both ? expected.slice(0, -1) : expected).split("\n");
  const b = (both ? actual.slice(0, -1) : actual).split("\n");
  const ops = a.length * b.length > MAX_CELLS ? naiveOps(a, b) : lcsOps(a, b);
  const shown = new Array<boolean>(ops.length).fill(false);
  ops.forEach((op, index) => {
    if (op.kind === " ") return;
    for (
      let i = Math.max(0, index - context);
      i <= Math.min(ops.length - 1, index + context);
      i += 1
    )
      shown[i] = true;
  });
  const out: string[] = ["--- expected", "+++ actual"];
  let previous = -1;
  ops.forEach((op, index) => {
    if (!shown[index]) return;
    if (previous !== -1 && index > previous + 1) out.push("@@");
    out.push(`${op.kind}${op.line}`);
    previous = index;
  });
  return out.join("\n");
}

type Op = { kind: " " | "-" | "+"; line: string };

function lcsOps(a: string[], b: string[]): Op[] {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i * width + j] =
        a[i] === b[j]
          ? (table[(i + 1) * width + j + 1] as number) + 1
          : Math.max(
              table[(i + 1) * width + j] as number,
              table[i * width + j + 1] as number,
            );
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i] as string });
      i += 1;
      j += 1;
    }
    // Removals before additions, as unified diffs show a changed line.
    else if (
      i < a.length &&
      (j === b.length ||
        (table[(i + 1) * width + j] as number) >=
          (table[i * width + j + 1] as number))
    )
      ops.push({ kind: "-", line: a[i++] as string });
    else ops.push({ kind: "+", line: b[j++] as string });
  }
  return ops;
}

// Past MAX_CELLS an LCS table is too big; a positional diff still shows where outputs part.
function naiveOps(a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] === b[i]) ops.push({ kind: " ", line: a[i] as string });
    else {
      if (a[i] !== undefined) ops.push({ kind: "-", line: a[i] as string });
      if (b[i] !== undefined) ops.push({ kind: "+", line: b[i] as string });
    }
  }
  return ops;
}
