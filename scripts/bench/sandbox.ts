/**
 * Benchmark of the agent sandbox's start-up cost: the same trivial command (`/bin/true`, then
 * `sh -c 'node -e 0'`) run through spawn.ts unconfined and confined in bubblewrap (role `command`,
 * network off), alternating, medians of each. The difference is what every agent command, tool
 * call, oracle candidate case and job pays for its sandbox; then what a vendor CLI run pays on top
 * for the model bridge of `network: model` (a node program started before the CLI). Measured and
 * printed, never asserted.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  setAgentSandbox,
  withModelBridge,
} from "../../coordination/base/sandbox/confine.js";
import type {
  BwrapPlan,
  ConfineRequest,
} from "../../coordination/base/sandbox/sandbox-plan.js";
import { probeSandbox } from "../../coordination/base/sandbox/detect-sandbox.js";
import { runProcess } from "../../coordination/base/spawn.js";

/** Runs the sandbox benchmark; `GITSWARM_BENCH_SANDBOX_RUNS` sets the runs of each (default 40). */
export async function benchSandbox(): Promise<string[]> {
  const runs = Math.max(
    3,
    Number(process.env.GITSWARM_BENCH_SANDBOX_RUNS ?? 40) || 40,
  );
  const probe = await probeSandbox({
    network: "off",
    readOnly: [],
    readWrite: [],
  });
  if (!probe.ok) return [`sandbox: skipped, ${probe.reason}`];
  const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-bench-sandbox-"));
  const lines: string[] = [];
  try {
    for (const [what, file, args] of [
      ["/bin/true", "/bin/true", []],
      ["sh -c 'node -e 0'", "/bin/sh", ["-c", "node -e 0"]],
    ] as const) {
      const plain: number[] = [];
      const boxed: number[] = [];
      for (let i = 0; i < runs; i++) {
        setAgentSandbox(undefined);
        plain.push(await timeOne(file, args, dir));
        setAgentSandbox(probe.plan);
        boxed.push(await timeOne(file, args, dir));
      }
      setAgentSandbox(undefined);
      const [p, b] = [median(plain), median(boxed)];
      lines.push(
        `  sandbox start-up, ${what} (${runs} runs each): unsandboxed median ${p.toFixed(1)} ms, bubblewrap median ${b.toFixed(1)} ms: +${(b - p).toFixed(1)} ms per command`,
      );
    }
    lines.push(await benchBridge(probe.plan, runs, dir));
  } finally {
    setAgentSandbox(undefined);
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}

/** `/bin/true` confined with no network, then as a vendor CLI behind the model bridge. */
async function benchBridge(
  plan: BwrapPlan,
  runs: number,
  dir: string,
): Promise<string> {
  setAgentSandbox({ ...plan, network: "model" });
  try {
    const cli = await withModelBridge({
      role: "cli" as const,
      endpoints: ["127.0.0.1:9999"],
    });
    const bare: number[] = [];
    const bridged: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(await timeOne("/bin/true", [], dir));
      bridged.push(await timeOne("/bin/true", [], dir, cli));
    }
    const [b, m] = [median(bare), median(bridged)];
    return `  model bridge (network: model), /bin/true (${runs} runs each): bubblewrap median ${b.toFixed(1)} ms, behind the bridge median ${m.toFixed(1)} ms: +${(m - b).toFixed(1)} ms per vendor CLI run`;
  } finally {
    setAgentSandbox(undefined);
  }
}

async function timeOne(
  file: string,
  args: readonly string[],
  cwd: string,
  confine: Omit<ConfineRequest, "cwd"> = { role: "command" },
): Promise<number> {
  const result = await runProcess(file, args, {
    cwd,
    confine,
    timeoutMs: 30_000,
  });
  if (result.exitCode !== 0)
    throw new Error(`${file} exited ${result.exitCode} in the sandbox bench`);
  return result.durationMs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
