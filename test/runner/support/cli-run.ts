/**
 * Drives the real CLI as a user would: `node bin/gitswarm run --repo DIR --json` as its own
 * process, its JSON event lines collected as they come so a test can wait for one (with a
 * deadline, never a sleep), kill the runner, or wait for it to end.
 */
import { readdir, readFile, readlink, realpath } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import {
  decode,
  killProcessGroup,
  runProcess,
  streamLines,
  type SpawnResult,
} from "../../../coordination/base/spawn.js";

/** The repository's CLI entry point. */
export const GITSWARM_BIN = fileURLToPath(
  new URL("../../../bin/gitswarm", import.meta.url),
);
const PROJECT_DIR = fileURLToPath(new URL("../../..", import.meta.url));

/** One event line of `gitswarm run --json`. */
export type RunEvent = Record<string, unknown> & { type: string };

export interface RunningSwarm {
  pid: number;
  events: RunEvent[];
  /** Resolves with the first event (already seen or to come) matching `test`; rejects after `timeoutMs`. */
  waitFor(
    test: (event: RunEvent) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<RunEvent>;
  /** Resolves when the runner exits. */
  done: Promise<SpawnResult>;
}

/** How long a started run may take before it is killed, unless its test says otherwise. */
const RUN_BOUND_MS = 290_000;

/** Starts `gitswarm run --json` on `repoDir` with `env` added to this process's environment. */
export function startRun(
  repoDir: string,
  env: Record<string, string>,
  extraArgs: string[] = [],
  boundMs = RUN_BOUND_MS,
): RunningSwarm {
  return startRunCommand(
    process.execPath,
    [GITSWARM_BIN, "run", "--repo", repoDir, "--json", ...extraArgs],
    env,
    boundMs,
  );
}

/**
 * Starts any command line that ends in `gitswarm run --json` (`npm run swarm -- …`, `timeout … npm
 * run …`) from the project directory; `pid` is the outermost process's.
 */
export function startRunCommand(
  file: string,
  args: string[],
  env: Record<string, string>,
  boundMs = RUN_BOUND_MS,
): RunningSwarm {
  const child = streamLines(file, args, {
    cwd: PROJECT_DIR,
    env,
    timeoutMs: boundMs,
  });
  if (child.pid === undefined) throw new Error(`${file} did not start`);
  const events: RunEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const wakeAll = () => {
    for (const wake of waiters) wake();
  };
  const pump = (async () => {
    for await (const line of child.lines) {
      try {
        events.push(JSON.parse(line) as RunEvent);
      } catch {
        continue; // not an event line
      }
      wakeAll();
    }
  })();
  const done = pump
    .then(() => child.done)
    .finally(() => {
      ended = true;
      wakeAll();
    });
  return {
    pid: child.pid,
    events,
    done,
    waitFor(test, timeoutMs, what) {
      return new Promise<RunEvent>((resolve, reject) => {
        const check = () => {
          const found = events.find(test);
          if (found === undefined && !ended) return;
          clearTimeout(timer);
          waiters.delete(check);
          if (found !== undefined) resolve(found);
          else
            reject(
              new Error(
                `gitswarm run ended before ${what}; last events:\n${lastEvents(events)}`,
              ),
            );
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; last events:\n${lastEvents(events)}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

function lastEvents(events: RunEvent[]): string {
  return events
    .slice(-8)
    .map((e) => JSON.stringify(e).slice(0, 400))
    .join("\n");
}

/** Runs one CLI command to completion: exit code and output. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  extendEnv = true,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await runProcess(process.execPath, [GITSWARM_BIN, ...args], {
    cwd: PROJECT_DIR,
    env,
    extendEnv,
    timeoutMs: 120_000,
  });
  return {
    code: result.exitCode,
    stdout: decode(result.stdout),
    stderr: decode(result.stderr),
  };
}

/** Pids of agent processes working under `dir` (their job names a workspace there). Linux /proc. */
export async function agentPids(
  dir: string,
  agent?: string,
): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(
      () => "",
    );
    // agent-process.ts from the sources, agent-process.js when the runner runs compiled.
    if (!/agent-process\.[jt]s/.test(cmdline) || !cmdline.includes(dir))
      continue;
    if (agent !== undefined && !cmdline.includes(`"name":"${agent}"`)) continue;
    pids.push(Number(entry));
  }
  return pids;
}

/** Pids of `gitswarm run` processes (compiled or not) on `dir`. Linux /proc. */
export async function runnerPids(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const args = (
      await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")
    ).split("\0");
    if (args.some((a) => a.endsWith("bin/gitswarm")) && args.includes(dir))
      pids.push(Number(entry));
  }
  return pids;
}

/** Kills a runner and every agent process it left under `dir` (tests end this way even when they time out). */
export async function killEverything(
  run: RunningSwarm | undefined,
  dir: string,
): Promise<void> {
  if (run !== undefined) killProcessGroup(run.pid, 0);
  for (const pid of await agentPids(dir)) killProcessGroup(pid, 0);
  await run?.done.catch(() => undefined);
  await killStragglers(dir);
}

/**
 * Kills, and waits out, every process still working in `dir`. Each git child of the runner has
 * its own process group, so a `git fetch` in flight when the runner is killed runs on and writes
 * objects into the checkout while the test removes it (ENOTEMPTY).
 */
async function killStragglers(dir: string): Promise<void> {
  const real = await realpath(dir).catch(() => dir);
  // A run's checkout is a temp dir of its own; anything shallower would reach other processes.
  if (real.split("/").filter(Boolean).length < 2)
    throw new Error(`killEverything: '${dir}' is no run's own checkout`);
  const deadline = Date.now() + STRAGGLER_WAIT_MS;
  for (;;) {
    const pids = await pidsWorkingUnder(real);
    if (pids.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `processes ${pids.join(", ")} still work in ${dir} ${STRAGGLER_WAIT_MS} ms after SIGKILL`,
      );
    for (const pid of pids) killQuietly(pid);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const STRAGGLER_WAIT_MS = 10_000;

/** Live processes whose working directory is `dir` or below it (a zombie has none). Linux /proc. */
async function pidsWorkingUnder(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
    if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(entry));
  }
  return pids;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone between the scan and the kill.
  }
}
