/**
 * Terminal markers on a task ref: `tasks/<id>.md`, the state a claim ended in (released with a
 * reason, broken with evidence, done or blocked at a main commit). The next claim of the task is a
 * commit on top of its marker.
 */
import matter from "gray-matter";
import { z } from "zod";
import { TASK_ID_PATTERN } from "../progress/task.js";

export const MarkerStates = ["released", "broken", "done", "blocked"] as const;
export type MarkerState = (typeof MarkerStates)[number];

/** How a claim ended, as recorded on its task ref. Times are ISO-8601 strings in UTC. */
export interface TaskMarker {
  task: string;
  state: MarkerState;
  /** Who ended it: the holder, or the breaker for `broken`. */
  agent: string;
  /** The claim id it ended. */
  claimId: string;
  at: string;
  /** Why (released, blocked). */
  reason?: string;
  /** The main commit that carries the work (done) or the `blocked:` line (blocked). */
  main?: string;
  /** The lease evidence of a break. */
  evidence?: string;
  /** The ended claim's attempt number (counts failed attempts across claims). */
  attempt?: number;
  /** The work branch of the ended claim (resume point). */
  branch?: string;
  /** How the work was reviewed before it landed (done): reviewers' verdicts, the human's approval. */
  review?: string;
}

const markerSchema = z.object({
  task: z.string().regex(TASK_ID_PATTERN, "must be a task id"),
  state: z.enum(MarkerStates),
  agent: z.string().min(1),
  claim: z.string(),
  at: z
    .union([z.string(), z.date()])
    .transform((v) => new Date(v).toISOString()),
  reason: z.string().optional(),
  main: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/, "must be a commit id")
    .optional(),
  evidence: z.string().optional(),
  attempt: z.number().int().positive().optional(),
  branch: z.string().optional(),
  review: z.string().optional(),
});

/** Where a task's marker lives in a task-ref commit. */
export function markerPath(taskId: string): string {
  return `tasks/${taskId}.md`;
}

/** Renders a marker (JSON-quoted strings are valid YAML). */
export function renderMarker(marker: TaskMarker): string {
  const fields: [string, string | number | undefined][] = [
    ["task", marker.task],
    ["state", marker.state],
    ["agent", JSON.stringify(marker.agent)],
    ["claim", JSON.stringify(marker.claimId)],
    ["at", JSON.stringify(marker.at)],
    ["reason", quote(marker.reason)],
    ["main", quote(marker.main)],
    ["evidence", quote(marker.evidence)],
    ["attempt", marker.attempt],
    ["branch", quote(marker.branch)],
    ["review", quote(marker.review)],
  ];
  const lines = fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join("\n")}\n---\n`;
}

/** A marker parsed, or why not. Never throws. */
export type MarkerParse =
  | { ok: true; marker: TaskMarker }
  | { ok: false; line: number; problem: string };

/** Parses a marker file's text. */
export function parseMarker(text: string): MarkerParse {
  let data: Record<string, unknown>;
  try {
    data = matter(text, {}).data;
  } catch (error) {
    return {
      ok: false,
      line: 1,
      problem: `broken front matter (YAML): ${(error as Error).message.split("\n")[0]}`,
    };
  }
  const result = markerSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? "");
    const index = text.split(/\r?\n/).findIndex((l) => l.startsWith(`${key}:`));
    return {
      ok: false,
      line: index === -1 ? 1 : index + 1,
      problem: `${key || "front matter"}: ${issue?.message ?? "invalid"}`,
    };
  }
  const d = result.data;
  return {
    ok: true,
    marker: {
      task: d.task,
      state: d.state,
      agent: d.agent,
      claimId: d.claim,
      at: d.at,
      ...(d.reason === undefined ? {} : { reason: d.reason }),
      ...(d.main === undefined ? {} : { main: d.main }),
      ...(d.evidence === undefined ? {} : { evidence: d.evidence }),
      ...(d.attempt === undefined ? {} : { attempt: d.attempt }),
      ...(d.branch === undefined ? {} : { branch: d.branch }),
      ...(d.review === undefined ? {} : { review: d.review }),
    },
  };
}

function quote(value: string | undefined): string | undefined {
  return value === undefined
    ? undefined
    : JSON.stringify(value.replace(/\s*\n\s*/g, " "));
}
