/**
 * A human's answer to work that waits (`gitswarm approve ID`, `gitswarm reject ID --reason …`):
 * written on the task's approval record on the hub with who gave it, then carried out at once by
 * the same command (runner/gates/approval-landing.ts): approved work lands, rejected work is a
 * failed attempt. Refused unless the work is parked on the hub. An answer recorded by a command
 * that died before carrying it out is carried out by running the same command again.
 */
import { UserError } from "../../coordination/base/errors.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { readApproval, writeApproval } from "./approval-ref.js";
import type { ApprovalRecord } from "./approval-record.js";
import {
  actOnAnswer,
  findParked,
  type AnswerOutcome,
} from "./approval-landing.js";

/** What answering did: the record as written, and what became of the work. */
export interface Decision {
  record: ApprovalRecord;
  outcome: AnswerOutcome;
}

/** Records `approved` or `rejected` by `by` and acts on it; a UserError when nothing waits or a writer raced. */
export async function decideApproval(
  ws: Workspace,
  taskId: string,
  decision: { state: "approved" | "rejected"; by: string; reason?: string },
  options: { maxAttempts: number; signal?: AbortSignal },
): Promise<Decision> {
  const { signal } = options;
  const found = await readApproval(ws, taskId, signal);
  const parked =
    found === undefined
      ? undefined
      : await findParked(ws, found.record, signal);
  const command = decision.state === "approved" ? "approve" : "reject";
  if (found === undefined || parked === undefined)
    throw new UserError(
      "not-waiting",
      `task '${taskId}' has no work waiting for approval${found ? ` (its record says ${found.record.state}${found.record.by ? ` by ${found.record.by}` : ""}, and no work of that claim waits on the hub)` : ""}; 'gitswarm status' lists what waits`,
    );
  let record = found.record;
  if (record.state === "waiting") {
    record = {
      ...record,
      state: decision.state,
      by: decision.by,
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
      at: new Date().toISOString(),
    };
    if (!(await writeApproval(ws, record, found.commit, signal)))
      throw new UserError(
        "raced",
        `someone else answered task '${taskId}' at the same moment; run the command again to see where it stands`,
      );
  } else if (record.state !== decision.state)
    throw new UserError(
      "not-waiting",
      `task '${taskId}' was ${record.state} by ${record.by ?? "a human"} already and is being carried out; run 'gitswarm ${record.state === "approved" ? "approve" : "reject"} ${taskId}' to finish it (not '${command}')`,
    );
  const outcome = await actOnAnswer(ws, record, parked, options);
  return { record, outcome };
}

/** What became of the work, in words (the CLI's line and the dashboard's message). */
export function describeAnswer(outcome: AnswerOutcome): string {
  switch (outcome.outcome) {
    case "landed":
      return `landed on main as ${outcome.commit.slice(0, 12)}`;
    case "queued":
      return "handed to the merge queue: the lander gates and lands it";
    case "rejected":
      return "the attempt failed with the reason, which the next attempt's prompt shows";
    case "conflict":
      return `not landed: it conflicts with what landed on main meanwhile, in ${outcome.files.join(", ") || "some files"}; handed back to be rebased (the new work waits for approval again)`;
    case "over":
      return `nothing more was done: ${outcome.message}`;
  }
}
