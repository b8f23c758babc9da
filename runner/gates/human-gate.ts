/**
 * The human gate (`review: { human: true }`, or a task's `approve: human`): the work, passed and
 * reviewed, waits for `gitswarm approve ID` or `gitswarm reject ID --reason …`. The agent writes a
 * `waiting` record (runner/gates/approval-ref.ts), raises `review-ready`, and polls the record while
 * its heartbeats keep the lease alive; approved passes with who approved, rejected is a failed
 * attempt with the human's reason. Stopped while waiting, the record stays: after a restart the
 * same claim skips the agent's work and comes straight back here.
 */
import { sleep } from "../../coordination/git/backoff.js";
import type { EventInput } from "../../coordination/base/events.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { ApprovalRecord } from "./approval-record.js";
import { readApproval, writeApproval } from "./approval-ref.js";

/** Who waits, for what. */
export interface HumanGateInput {
  taskId: string;
  agent: string;
  claimId: string;
  attempt: number;
  summary: string;
  review?: string;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
  /** How often to look for the human's answer (default 2 s). */
  pollMs?: number;
}

/** The human's answer, or stopped. */
export type HumanVerdict =
  | { ok: true; record: string }
  | { ok: false; reason: string; stopped?: boolean };

/** Waits for the human's approval of this claim's work. */
export async function awaitApproval(
  ws: Workspace,
  input: HumanGateInput,
): Promise<HumanVerdict> {
  const mine = (record: ApprovalRecord) =>
    record.agent === input.agent &&
    record.claimId === input.claimId &&
    record.attempt === input.attempt;
  let current = await readApproval(ws, input.taskId, input.signal);
  if (current === undefined || !mine(current.record)) {
    const waiting: ApprovalRecord = {
      task: input.taskId,
      state: "waiting",
      agent: input.agent,
      claimId: input.claimId,
      attempt: input.attempt,
      summary: input.summary,
      ...(input.review === undefined ? {} : { review: input.review }),
      at: new Date().toISOString(),
    };
    if (!(await writeApproval(ws, waiting, current?.commit, input.signal)))
      return {
        ok: false,
        reason: "approval: another writer raced ours; try again",
      };
    current = { record: waiting, commit: "" };
  }
  input.emit({
    type: "approval",
    agent: input.agent,
    task: input.taskId,
    state: "waiting",
    detail: input.review ?? "passed its gates",
  });
  for (;;) {
    const { record } = current ?? {};
    if (record !== undefined && mine(record) && record.state !== "waiting") {
      input.emit({
        type: "approval",
        agent: input.agent,
        task: input.taskId,
        state: record.state,
        ...(record.by ? { by: record.by } : {}),
        ...(record.reason ? { detail: record.reason } : {}),
      });
      return record.state === "approved"
        ? { ok: true, record: `approved by ${record.by ?? "a human"}` }
        : {
            ok: false,
            reason: `rejected by ${record.by ?? "a human"}: ${record.reason ?? "no reason given"}`,
          };
    }
    try {
      await sleep(input.pollMs ?? 2000, input.signal);
    } catch {
      return {
        ok: false,
        reason: "stopped while waiting for approval",
        stopped: true,
      };
    }
    current = await readApproval(ws, input.taskId, input.signal).catch(
      () => current,
    );
  }
}
