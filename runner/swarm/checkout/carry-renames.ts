/**
 * A human renamed a task an agent holds (same title and metadata, new id): the moment the rename
 * reaches the hub, the runner claims the new id in the holder's name, on the holder's own work
 * branch, so no other agent picks the "new" task up and redoes the work. The holder's heartbeats
 * on that branch keep the carried lock alive; when the holder finishes, its done-commit finds the
 * old id gone and lands the work under the new id (runner/agent/task-gone.ts), resuming this lock.
 */
import { claimTask } from "../../../coordination/protocol/claim.js";
import type { ProgressDoc } from "../../../coordination/progress/parse.js";
import { findRenames } from "../../../coordination/progress/review/renames.js";
import { readTaskView } from "../../../coordination/state/hub-view.js";
import type { Workspace } from "../../../coordination/git/workspace.js";
import type { EventInput } from "../../../coordination/base/events.js";

/** Claims the new id of each renamed task that holds a live lock, for that lock's holder. */
export async function carryRenamedClaims(
  ws: Workspace,
  before: ProgressDoc,
  after: ProgressDoc,
  emit: (event: EventInput) => void,
): Promise<void> {
  for (const rename of findRenames(before, after)) {
    const entry = (await readTaskView(ws, rename.from)).taskRef?.lock;
    if (entry === undefined || !entry.ok) continue;
    const held = entry.lock;
    const leaseMs = Math.max(
      1_000,
      Date.parse(held.leaseUntil) - Date.parse(held.claimedAt),
    );
    const carried = await claimTask(ws, {
      taskId: rename.to,
      agent: held.agent,
      leaseMs,
      ...(held.runner === undefined ? {} : { runner: held.runner }),
      host: held.host,
      attempt: held.attempt,
      branch: held.branch,
      plan: `renamed from ${rename.from} by a human; carried over from claim ${held.claimId}`,
    });
    emit({
      type: "claim",
      agent: held.agent,
      task: rename.to,
      outcome: carried.outcome,
      ...(carried.outcome === "refused" ? { reason: carried.reason } : {}),
    });
  }
}
