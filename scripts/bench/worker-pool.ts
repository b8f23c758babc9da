/** Drives claim-worker processes (scripts/bench/claim-worker.ts): one real OS process per agent. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readdir, readlink, realpath } from "node:fs/promises";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./claim-worker.ts", import.meta.url));

export interface Worker {
  agent: string;
  process: ChildProcessWithoutNullStreams;
  /** Sends one command line and resolves with the worker's JSON answer. */
  send(command: string): Promise<Record<string, unknown>>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Starts a worker for `agent` working in the clone at `dir`; `env` is added to ours. */
export function startWorker(
  dir: string,
  agent: string,
  env: Record<string, string> = {},
): Worker {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", WORKER, dir, agent],
    { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  running.add(child);
  child.once("exit", () => running.delete(child));
  const answers = readline.createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  answers.on("line", (line) => waiting.shift()?.(line));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    agent,
    process: child,
    send(command) {
      return new Promise((resolve, reject) => {
        const onExit = () =>
          reject(new Error(`worker ${agent} exited: ${stderr}`));
        child.once("exit", onExit);
        waiting.push((line) => {
          child.off("exit", onExit);
          resolve(JSON.parse(line) as Record<string, unknown>);
        });
        child.stdin.write(`${command}\n`);
      });
    },
  };
}

/** Ends workers and waits for them to exit. */
export async function stopWorkers(workers: readonly Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.process.exitCode !== null || w.process.signalCode !== null)
            return resolve();
          w.process.once("exit", () => resolve());
          w.process.stdin.end();
        }),
    ),
  );
}

/** SIGKILLs every worker still running (for afterAll: a timed-out test leaves its workers behind). */
export function killAllWorkers(): void {
  for (const child of running) child.kill("SIGKILL");
}

/**
 * Resolves when no process works in `dirs` any more: the git a SIGKILLed worker started (a push in
 * flight, in its own process group, so not killed with the worker) has finished on its own, as it
 * would after a crash, and the hub can be read at rest. Linux: reads /proc/<pid>/cwd.
 */
export async function waitForOrphans(
  dirs: readonly string[],
  timeoutMs = 120_000,
): Promise<void> {
  const wanted = await Promise.all(dirs.map((dir) => realpath(dir)));
  const busy = async () => {
    for (const pid of await readdir("/proc").catch(() => [])) {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
      const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "");
      if (wanted.some((dir) => cwd === dir || cwd.startsWith(`${dir}/`)))
        return true;
    }
    return false;
  };
  const deadline = Date.now() + timeoutMs;
  while (await busy()) {
    if (Date.now() > deadline)
      throw new Error(
        `processes still work in ${dirs.join(", ")} after ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
