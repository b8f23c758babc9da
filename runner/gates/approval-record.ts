/**
 * The human approval record of a task's work, kept on the hub under `refs/swarm/approvals/<id>`
 * (never on main): the author agent writes `waiting` with its claim, attempt, summary and the AI
 * review's verdict when it parks the work (runner/gates/human-gate.ts); `gitswarm approve` / `reject`
 * write `approved` / `rejected` on top, with who and why, and carry the answer out. It needs no
 * process of the author, so a runner killed while the work waits loses nothing. Pure.
 */
import matter from "gray-matter";

/** Where a record stands. */
export type ApprovalState = "waiting" | "approved" | "rejected";

/** One approval record. Times are ISO-8601 strings. */
export interface ApprovalRecord {
  task: string;
  state: ApprovalState;
  /** The author agent and its claim and attempt the record is about. */
  agent: string;
  claimId: string;
  attempt: number;
  /** The author's summary (the done-commit's body when it lands after a restart). */
  summary: string;
  /** The AI review's verdict, if the work had one. */
  review?: string;
  /** Who approved or rejected, and why (reject). */
  by?: string;
  reason?: string;
  at: string;
}

/** The hub ref that holds a task's approval record. */
export function approvalRef(taskId: string): string {
  return `refs/swarm/approvals/${taskId}`;
}

/** The file in the record's commit. */
export function approvalPath(taskId: string): string {
  return `approvals/${taskId}.md`;
}

/** Renders a record (JSON-quoted strings are valid YAML). */
export function renderApproval(record: ApprovalRecord): string {
  const fields: [string, string | number | undefined][] = [
    ["task", record.task],
    ["state", record.state],
    ["agent", JSON.stringify(record.agent)],
    ["claim", JSON.stringify(record.claimId)],
    ["attempt", record.attempt],
    ["summary", JSON.stringify(record.summary)],
    ["review", quote(record.review)],
    ["by", quote(record.by)],
    ["reason", quote(record.reason)],
    ["at", JSON.stringify(record.at)],
  ];
  const lines = fields
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${value}`);
  return `---\n${lines.join("\n")}\n---\n`;
}

/** Parses a record; undefined when it is not one. */
export function parseApproval(text: string): ApprovalRecord | undefined {
  let data: Record<string, unknown>;
  try {
    data = matter(text, {}).data;
  } catch {
    return undefined;
  }
  const state = data.state;
  if (state !== "waiting" && state !== "approved" && state !== "rejected")
    return undefined;
  const str = (key: string) =>
    typeof data[key] === "string" ? (data[key] as string) : undefined;
  const task = str("task");
  const agent = str("agent");
  const claimId = str("claim");
  if (task === undefined || agent === undefined || claimId === undefined)
    return undefined;
  const at =
    data.at instanceof Date ? data.at.toISOString() : (str("at") ?? "");
  return {
    task,
    state,
    agent,
    claimId,
    attempt: Number(data.attempt) || 1,
    summary: str("summary") ?? "",
    ...(str("review") === undefined ? {} : { review: str("review") }),
    ...(str("by") === undefined ? {} : { by: str("by") }),
    ...(str("reason") === undefined ? {} : { reason: str("reason") }),
    at,
  };
}

/** What `status` and the dashboard show of a task's approval: who, since when, and the commands. */
export interface ApprovalView {
  state: ApprovalState;
  /** The author whose work waits, and its attempt. */
  agent: string;
  attempt: number;
  /** When the record was last written: the wait's start, or the human's answer. */
  since: string;
  /** The AI reviewers' verdict, if the work had a review. */
  review: string | null;
  by: string | null;
  reason: string | null;
  /** The commands that answer it. */
  approve: string;
  reject: string;
}

/** The record of the current claim's work among `records` (an older claim's record is history). */
export function currentApproval(
  records: readonly ApprovalRecord[],
  taskId: string,
  holder: { claimId: string; attempt: number } | undefined,
): ApprovalRecord | undefined {
  if (holder === undefined) return undefined;
  return records.find(
    (r) =>
      r.task === taskId &&
      r.claimId === holder.claimId &&
      r.attempt === holder.attempt,
  );
}

/** The view of one record. */
export function approvalView(record: ApprovalRecord): ApprovalView {
  return {
    state: record.state,
    agent: record.agent,
    attempt: record.attempt,
    since: record.at,
    review: record.review ?? null,
    by: record.by ?? null,
    reason: record.reason ?? null,
    approve: `gitswarm approve ${record.task}`,
    reject: `gitswarm reject ${record.task} --reason TEXT`,
  };
}

/** One line for `status`: who waits since when, the AI review's verdict, and how to answer. */
export function describeApproval(view: ApprovalView): string {
  const review = view.review ?? "no AI review";
  if (view.state === "waiting")
    return `${view.agent}, waiting for approval since ${view.since} (${review}): ${view.approve} | ${view.reject}`;
  // The answering command died before carrying it out: running it again finishes it.
  const again =
    view.state === "approved"
      ? view.approve
      : `${view.reject.replace(" --reason TEXT", "")} --reason …`;
  return `${view.agent}, ${view.state} by ${view.by ?? "a human"} at ${view.since}${view.reason ? `: ${view.reason}` : ""} (${review}); not carried out yet: run '${again}' again`;
}

function quote(value: string | undefined): string | undefined {
  return value === undefined
    ? undefined
    : JSON.stringify(value.replace(/\s*\n\s*/g, " "));
}
