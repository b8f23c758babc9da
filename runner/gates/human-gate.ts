/**
 * The human gate (`review: { human: true }`, or a task's `approve: human`): the work, passed and
 * reviewed, is parked on the hub to wait for `gitswarm approve ID` or `gitswarm reject ID --reason …`,
 * and its agent goes on to its next task. Parking writes the `waiting` approval record
 * (runner/gates/approval-ref.ts), then a merge-queue entry with `hold: approval` on the task ref
 * (coordination/queue/enqueue.ts): the work is on the hub (its queue ref) and the claim is alive by
 * that fact, as queued work is — no heartbeats, no process of its author. The answer acts on it
 * itself (runner/gates/approval-landing.ts). The record comes first: an entry with no record could
 * never be answered, a record with no entry is only history once the claim's lease runs out.
 */
import type { EventInput } from "../../coordination/base/events.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { HeldClaim } from "../../coordination/protocol/finish.js";
import { enqueueWork } from "../../coordination/queue/enqueue.js";
import type { ApprovalRecord } from "./approval-record.js";
import { readApproval, writeApproval } from "./approval-ref.js";

/** What is parked, for whom. */
export interface ParkInput {
  claim: HeldClaim;
  attempt: number;
  summary: string;
  /** A job's final figures, landed with the work. */
  result?: string;
  /** The AI review's verdict, if the work had one. */
  review?: string;
  /** `queue`: the work passed only its own cases, so after approval the lander gates and lands it. */
  then: "land" | "queue";
  emit: (event: EventInput) => void;
}

/** Where parking left the work. */
export type ParkResult =
  | { outcome: "waiting"; work: string }
  | { outcome: "fenced"; message: string }
  /** The task left PROGRESS.md while claimed (coordination/queue/enqueue.ts). */
  | { outcome: "gone"; message: string };

/** Parks the committed work (`HEAD` of the clone) for a human's answer. */
export async function parkForApproval(
  ws: Workspace,
  input: ParkInput,
): Promise<ParkResult> {
  const { claim } = input;
  const current = await readApproval(ws, claim.taskId, claim.signal);
  const record: ApprovalRecord = {
    task: claim.taskId,
    state: "waiting",
    agent: claim.agent,
    claimId: claim.claimId,
    attempt: input.attempt,
    summary: input.summary,
    ...(input.review === undefined ? {} : { review: input.review }),
    at: new Date().toISOString(),
  };
  const same = current?.record;
  const already =
    same?.state === "waiting" &&
    same.claimId === claim.claimId &&
    same.attempt === input.attempt;
  if (
    !already &&
    !(await writeApproval(ws, record, current?.commit, claim.signal))
  )
    return {
      outcome: "fenced",
      message:
        "approval: another writer raced ours; the work stays on its branch",
    };
  const parked = await enqueueWork(ws, {
    ...claim,
    work: "HEAD",
    summary: input.summary,
    result: input.result,
    hold: { hold: "approval", then: input.then },
  });
  if (parked.outcome !== "queued") return parked;
  input.emit({
    type: "approval",
    agent: claim.agent,
    task: claim.taskId,
    state: "waiting",
    detail: input.review ?? "passed its gates",
  });
  return { outcome: "waiting", work: parked.entry.work };
}
