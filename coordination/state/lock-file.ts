/**
 * Lock files: `locks/<task-id>.md`, YAML front matter (gray-matter, validated by zod) and free text
 * below for the holder's plan. A lock as the tip of the task's ref on the hub *is* the claim
 * (coordination/git/task-refs.ts); hubs of the previous layout kept them in `locks/` on main.
 */
import matter from "gray-matter";
import { z } from "zod";
import { TASK_ID_PATTERN } from "../progress/task.js";

/** The folder that holds lock files, relative to the repository root. */
export const LOCKS_DIR = "locks";

/** A claim as recorded in its lock file. Times are ISO-8601 strings in UTC. */
export interface Lock {
  task: string;
  agent: string;
  host: string;
  /**
   * The fleet-unique id of the runner (or checkout) that wrote the lock: a claim is resumable only
   * by the runner that made it. Absent in locks written before runner ids existed.
   */
  runner?: string;
  claimId: string;
  claimedAt: string;
  leaseUntil: string;
  branch: string;
  attempt: number;
  plan: string;
}

const isoTime = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({
      code: "custom",
      message: `'${String(value)}' is not a date; write ISO-8601, e.g. 2026-01-31T12:00:00Z`,
    });
    return z.NEVER;
  }
  return date.toISOString();
});

const lockSchema = z.object({
  task: z
    .string()
    .regex(
      TASK_ID_PATTERN,
      "must be a task id (lowercase letters, digits, ., _, -)",
    ),
  agent: z.string().min(1, "names the holder; it must not be empty"),
  host: z.string().min(1),
  runner: z
    .string()
    .min(1, "is the runner id; omit it rather than leave it empty")
    .optional(),
  claim: z.string().min(8, "is the claim id: at least 8 characters"),
  "claimed-at": isoTime,
  "lease-until": isoTime,
  branch: z.string().min(1),
  attempt: z.number().int().positive(),
});

/** The keys every lock has (`runner` is optional: older locks lack it). */
const LOCK_KEYS = Object.keys(lockSchema.shape).filter(
  (key) => key !== "runner",
);

/** Where the lock for a task lives. */
export function lockPath(taskId: string): string {
  return `${LOCKS_DIR}/${taskId}.md`;
}

/** A lock file parsed, or why it could not be (with the 1-based line where known). */
export type LockParse =
  { ok: true; lock: Lock } | { ok: false; line?: number; problem: string };

/** Parses a lock file's text. Never throws; `file` is only used in messages. */
export function parseLock(text: string): LockParse {
  let parsed: { data: Record<string, unknown>; content: string };
  try {
    // An options object (even empty) keeps gray-matter from caching every text it ever parsed.
    parsed = matter(text, {});
  } catch (error) {
    // js-yaml's mark is 0-based within the front matter, which gray-matter starts with the newline
    // that ends the opening `---`: mark line n is file line n + 1. Its message repeats the position
    // relative to the front matter, which would contradict ours, so only its reason is kept.
    const { mark, reason } = error as {
      mark?: { line?: number };
      reason?: string;
    };
    const line = mark?.line === undefined ? undefined : mark.line + 1;
    const what = reason ?? (error as Error).message.split("\n")[0];
    return { ok: false, line, problem: `broken front matter (YAML): ${what}` };
  }
  if (Object.keys(parsed.data).length === 0) {
    return {
      ok: false,
      line: 1,
      problem:
        "no front matter: a lock starts with a --- block of task, agent, claim, …",
    };
  }
  const result = lockSchema.safeParse(parsed.data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? "");
    if (key !== "" && !(key in parsed.data)) {
      return {
        ok: false,
        line: 1,
        problem: `${key}: missing; a lock's front matter needs ${LOCK_KEYS.join(", ")}`,
      };
    }
    return {
      ok: false,
      line: lineOfKey(text, key),
      problem: `${key || "front matter"}: ${issue?.message ?? "invalid"}`,
    };
  }
  const data = result.data;
  return {
    ok: true,
    lock: {
      task: data.task,
      agent: data.agent,
      host: data.host,
      ...(data.runner === undefined ? {} : { runner: data.runner }),
      claimId: data.claim,
      claimedAt: data["claimed-at"],
      leaseUntil: data["lease-until"],
      branch: data.branch,
      attempt: data.attempt,
      plan: parsed.content.trim(),
    },
  };
}

/**
 * Renders a lock file. Times are quoted so YAML readers keep them as strings; `extra` fields (e.g.
 * `gpus`) follow the standard ones.
 */
export function renderLock(
  lock: Lock,
  extra: Record<string, string | number> = {},
): string {
  const front = [
    "---",
    `task: ${lock.task}`,
    `agent: ${JSON.stringify(lock.agent)}`,
    `host: ${JSON.stringify(lock.host)}`,
    ...(lock.runner === undefined
      ? []
      : [`runner: ${JSON.stringify(lock.runner)}`]),
    `claim: ${JSON.stringify(lock.claimId)}`,
    `claimed-at: ${JSON.stringify(lock.claimedAt)}`,
    `lease-until: ${JSON.stringify(lock.leaseUntil)}`,
    `branch: ${JSON.stringify(lock.branch)}`,
    `attempt: ${lock.attempt}`,
    ...Object.entries(extra).map(
      ([key, value]) => `${key}: ${JSON.stringify(value)}`,
    ),
    "---",
  ];
  const plan = lock.plan.trim();
  return `${front.join("\n")}\n${plan.length > 0 ? `\n${plan}\n` : ""}`;
}

/** The 1-based line of a front-matter key in a lock file's text (1 when absent). */
export function lineOfKey(text: string, key: string): number {
  if (key === "") return 1;
  const index = text
    .split(/\r?\n/)
    .findIndex((line) => line.startsWith(`${key}:`));
  return index === -1 ? 1 : index + 1;
}
