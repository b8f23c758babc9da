/** Drives claim-worker processes (test/support/claim-worker.ts): one real OS process per agent. */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
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

/** Starts a worker for `agent` working in the clone at `dir`. */
export function startWorker(dir: string, agent: string): Worker {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", WORKER, dir, agent],
    { stdio: ["pipe", "pipe", "pipe"] },
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
