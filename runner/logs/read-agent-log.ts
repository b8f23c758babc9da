/**
 * Reading agent logs back: which run (the latest, or one by id), which agents logged in it, the
 * whole log of one agent (rotated parts first), and following it as it grows.
 */
import { open, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { runsDir } from "../../coordination/base/events.js";
import { sleep } from "../../coordination/git/backoff.js";
import { agentLogFile, agentLogsDir, KEPT_ROTATIONS } from "./agent-log.js";

/** The run directories of a repo, oldest first (run ids are ISO times, so names sort by time). */
export async function listRuns(repoDir: string): Promise<string[]> {
  const names = await readdir(runsDir(repoDir)).catch(() => [] as string[]);
  return names.sort();
}

/**
 * The directory of run `runId` (an exact id or a unique prefix), or of the latest run; undefined
 * when there is no such run.
 */
export async function findRunDir(
  repoDir: string,
  runId?: string,
): Promise<string | undefined> {
  const runs = await listRuns(repoDir);
  const matches =
    runId === undefined
      ? runs.slice(-1)
      : runs.includes(runId)
        ? [runId]
        : runs.filter((name) => name.startsWith(runId));
  return matches.length === 1 && matches[0] !== undefined
    ? path.join(runsDir(repoDir), matches[0])
    : undefined;
}

/** The agents that have a log in a run, sorted. */
export async function listLoggedAgents(runDir: string): Promise<string[]> {
  const names = await readdir(agentLogsDir(runDir)).catch(() => [] as string[]);
  return names
    .filter((name) => name.endsWith(".log"))
    .map((name) => name.slice(0, -".log".length))
    .sort();
}

/** One agent's whole log: the rotated parts, oldest first, and the live file ("" if none). */
export async function readAgentLog(
  runDir: string,
  agent: string,
): Promise<{ rotated: string; live: string }> {
  const file = agentLogFile(runDir, agent);
  const parts = [];
  for (let i = KEPT_ROTATIONS; i >= 1; i -= 1)
    parts.push(await readFile(`${file}.${i}`, "utf8").catch(() => ""));
  const live = await readFile(file, "utf8").catch(() => "");
  return { rotated: parts.join(""), live };
}

/** The last `lines` lines of an agent's live log file (for a tail view). */
export async function tailAgentLog(
  runDir: string,
  agent: string,
  lines: number,
): Promise<{ lines: string[]; offset: number }> {
  const file = agentLogFile(runDir, agent);
  const text = await readFile(file, "utf8").catch(() => "");
  const all = text.split("\n");
  if (all.at(-1) === "") all.pop();
  return { lines: all.slice(-lines), offset: Buffer.byteLength(text) };
}

/** Bytes appended to a file since `offset`, and the new offset (a rotated file starts over at 0). */
export async function readSince(
  file: string,
  offset: number,
): Promise<{ text: string; offset: number }> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  const from = size < offset ? 0 : offset;
  if (size === from) return { text: "", offset: from };
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    // Only whole lines: a line being written is read on the next round.
    const end = buffer.lastIndexOf(0x0a) + 1;
    return {
      text: buffer.subarray(0, end).toString("utf8"),
      offset: from + end,
    };
  } finally {
    await handle.close();
  }
}

/**
 * Follows a file from `offset`, calling `onText` with each batch of new whole lines, until the
 * signal aborts or `finished()` says so (checked after a round that found nothing new).
 */
export async function followFile(
  file: string,
  offset: number,
  onText: (text: string) => void,
  options: {
    signal: AbortSignal;
    finished: () => Promise<boolean>;
    pollMs?: number;
  },
): Promise<void> {
  let at = offset;
  while (!options.signal.aborted) {
    const next = await readSince(file, at);
    at = next.offset;
    if (next.text !== "") onText(next.text);
    else if (await options.finished()) return;
    await sleep(options.pollMs ?? 250, options.signal).catch(() => undefined);
  }
}

/** Whether a run's event log records its end. */
export async function hasRunEnded(runDir: string): Promise<boolean> {
  const text = await readFile(path.join(runDir, "events.jsonl"), "utf8").catch(
    () => "",
  );
  return text.includes('"type":"run-end"');
}
