/**
 * Merge-queue entries: `queue/<id>.md`, written beside the lock in one commit on top of the lock
 * commit of the task ref. The entry names the work commit (kept alive on the hub by the queue ref
 * `refs/swarm/queue/<id>/<claim>`), the claim it belongs to and when it was queued. While the task
 * ref's tip carries an entry the claim is alive by that fact: its work is on the hub and waits only
 * for the lander, so no lease rule breaks it for lack of heartbeats. An entry with `hold: approval`
 * waits for a human first (`gitswarm approve`, runner/gates/): alive by the same fact, skipped by
 * the lander, and landed by the approval itself (or handed to the lander, `then: queue`).
 */
import matter from "gray-matter";
import { z } from "zod";
import { TASK_ID_PATTERN } from "../progress/task.js";

/** The folder of queue entries inside a task-ref commit. */
export const QUEUE_DIR = "queue";

/** One queued piece of work, as recorded on its task ref. Times are ISO-8601 strings in UTC. */
export interface QueueEntry {
  task: string;
  agent: string;
  /** The claim the work belongs to (the fencing token the landing push relies on). */
  claimId: string;
  /** The work commit (squashed; its parent is the main it was checked on). */
  work: string;
  queuedAt: string;
  /** The done-commit's body (the agent's summary). */
  summary?: string;
  /** A job's final figures, landed as the task's `result:` line. */
  result?: string;
  /** `approval`: the work waits for a human's `gitswarm approve` before anything lands it. */
  hold?: "approval";
  /** After approval: `land` it at once (it passed the full oracle), or `queue` it for the lander. */
  then?: "land" | "queue";
}

const entrySchema = z.object({
  task: z.string().regex(TASK_ID_PATTERN, "must be a task id"),
  agent: z.string().min(1),
  claim: z.string().min(8),
  work: z.string().regex(/^[0-9a-f]{40,64}$/, "must be a commit id"),
  "queued-at": z
    .union([z.string(), z.date()])
    .transform((v) => new Date(v).toISOString()),
  result: z.string().optional(),
  hold: z.literal("approval").optional(),
  then: z.enum(["land", "queue"]).optional(),
});

/** Where a task's queue entry lives in a task-ref commit. */
export function queuePath(taskId: string): string {
  return `${QUEUE_DIR}/${taskId}.md`;
}

/** Renders an entry: front matter, then the summary as the body. */
export function renderQueueEntry(entry: QueueEntry): string {
  const lines = [
    `task: ${entry.task}`,
    `agent: ${JSON.stringify(entry.agent)}`,
    `claim: ${JSON.stringify(entry.claimId)}`,
    `work: ${entry.work}`,
    `queued-at: ${JSON.stringify(entry.queuedAt)}`,
    ...(entry.result === undefined
      ? []
      : [`result: ${JSON.stringify(entry.result.replace(/\s*\n\s*/g, " "))}`]),
    ...(entry.hold === undefined ? [] : [`hold: ${entry.hold}`]),
    ...(entry.then === undefined ? [] : [`then: ${entry.then}`]),
  ];
  return `---\n${lines.join("\n")}\n---\n${entry.summary ? `${entry.summary.trim()}\n` : ""}`;
}

/** An entry parsed, or why not. Never throws. */
export type QueueEntryParse =
  { ok: true; entry: QueueEntry } | { ok: false; problem: string };

/** Parses an entry file's text. */
export function parseQueueEntry(text: string): QueueEntryParse {
  let parsed: { data: Record<string, unknown>; content: string };
  try {
    parsed = matter(text, {});
  } catch (error) {
    return {
      ok: false,
      problem: `broken front matter (YAML): ${(error as Error).message.split("\n")[0]}`,
    };
  }
  const result = entrySchema.safeParse(parsed.data);
  if (!result.success) {
    const issue = result.error.issues[0];
    return {
      ok: false,
      problem: `${String(issue?.path[0] ?? "front matter")}: ${issue?.message ?? "invalid"}`,
    };
  }
  const d = result.data;
  const summary = parsed.content.trim();
  return {
    ok: true,
    entry: {
      task: d.task,
      agent: d.agent,
      claimId: d.claim,
      work: d.work,
      queuedAt: d["queued-at"],
      ...(summary === "" ? {} : { summary }),
      ...(d.result === undefined ? {} : { result: d.result }),
      ...(d.hold === undefined ? {} : { hold: d.hold }),
      ...(d.then === undefined ? {} : { then: d.then }),
    },
  };
}
