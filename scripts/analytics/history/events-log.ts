/**
 * The runner's event logs as analytics reads them: found next to the repository being analysed
 * (`.gitswarm/runs/<run-id>/events.jsonl`) or named by the user, parsed leniently (a log cut short
 * by a crash ends in a torn line).
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../../../coordination/base/errors.js";
import { runsDir } from "../../../coordination/base/events.js";

/** One event log: its path and its events in order (plain JSON, judged by the reader). */
export interface EventLogFile {
  file: string;
  events: unknown[];
}

/**
 * The event logs of every run of the swarm a repository belongs to, oldest run first: the runs of
 * the user's repo itself, or, for the embedded hub or an agent's workspace (which live under
 * `.gitswarm/`), the runs beside them. Empty when there are none.
 */
export async function findEventLogs(repoDir: string): Promise<string[]> {
  const absolute = path.resolve(repoDir);
  const parts = absolute.split(path.sep);
  const inside = parts.lastIndexOf(".gitswarm");
  const dir =
    inside > 0
      ? path.join(
          parts.slice(0, inside).join(path.sep) || path.sep,
          ".gitswarm",
          "runs",
        )
      : runsDir(absolute);
  const runs = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const logs: string[] = [];
  for (const run of runs
    .filter((r) => r.isDirectory())
    .map((r) => r.name)
    .sort()) {
    const file = path.join(dir, run, "events.jsonl");
    const found = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (found) logs.push(file);
  }
  return logs;
}

/** Reads event logs; a line that is not a JSON object is skipped. UserError for a file it cannot read. */
export async function readEventLogs(
  files: readonly string[],
): Promise<EventLogFile[]> {
  const logs: EventLogFile[] = [];
  for (const file of files) {
    const text = await readFile(file, "utf8").catch((error: unknown) => {
      throw new UserError(
        "bad-events",
        `cannot read the event log ${file}: ${(error as Error).message}; pass --events with a run's events.jsonl (under .gitswarm/runs/)`,
        { cause: error },
      );
    });
    logs.push({ file, events: parseEventLines(text) });
  }
  return logs;
}

/** The JSON objects of a JSONL text, in order; torn or foreign lines are left out. */
export function parseEventLines(text: string): unknown[] {
  return text.split("\n").flatMap((line) => {
    if (line.trim() === "") return [];
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === "object" && value !== null ? [value] : [];
    } catch {
      return [];
    }
  });
}
