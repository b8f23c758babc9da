/**
 * A human's answer to work that waits (`gitswarm approve ID`, `gitswarm reject ID --reason …`):
 * written on the task's approval record on the hub with who gave it. Refused unless the work waits.
 */
import { UserError } from "../../coordination/base/errors.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import { readApproval, writeApproval } from "./approval-ref.js";
import type { ApprovalRecord } from "./approval-record.js";

/** Records `approved` or `rejected` by `by`; throws a UserError when nothing waits or a writer raced. */
export async function decideApproval(
  ws: Workspace,
  taskId: string,
  decision: { state: "approved" | "rejected"; by: string; reason?: string },
  signal?: AbortSignal,
): Promise<ApprovalRecord> {
  const found = await readApproval(ws, taskId, signal);
  if (found === undefined || found.record.state !== "waiting")
    throw new UserError(
      "not-waiting",
      `task '${taskId}' has no work waiting for approval${found ? ` (its record says ${found.record.state} by ${found.record.by ?? "?"})` : ""}; 'gitswarm status' lists what waits`,
    );
  const record: ApprovalRecord = {
    ...found.record,
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
  return record;
}
