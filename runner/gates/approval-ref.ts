/**
 * Reading and writing approval records on the hub (runner/gates/approval-record.ts). A write is a
 * commit on top of the ref's current tip pushed without force, so of two concurrent writers (an
 * approve racing a reject) one is refused and told to look again.
 */
import { NETWORK_TIMEOUT_MS } from "../../coordination/git/git.js";
import { entryText, readObjects } from "../../coordination/git/cat-file.js";
import { buildStateCommit } from "../../coordination/git/commit-builder.js";
import { pushRef } from "../../coordination/git/push.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import {
  approvalPath,
  approvalRef,
  parseApproval,
  renderApproval,
  type ApprovalRecord,
} from "./approval-record.js";

const LOCAL_PREFIX = "refs/gitswarm/approvals/";
const localRef = (taskId: string) => `${LOCAL_PREFIX}${taskId}`;

/**
 * Every task's approval record on the hub, with one fetch and one `cat-file` however many there
 * are (`gitswarm status`, the dashboard). A record whose ref is gone from the hub is dropped.
 */
export async function readApprovals(
  ws: Workspace,
  signal?: AbortSignal,
): Promise<ApprovalRecord[]> {
  await ws.git.run(
    [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      "--prune",
      ws.remote,
      `+${approvalRef("*")}:${localRef("*")}`,
    ],
    { timeoutMs: NETWORK_TIMEOUT_MS, signal },
  );
  const ids = (
    await ws.git.run(["for-each-ref", "--format=%(refname)", LOCAL_PREFIX])
  )
    .split("\n")
    .filter(Boolean)
    .map((ref) => ref.slice(LOCAL_PREFIX.length));
  if (ids.length === 0) return [];
  const texts = await readObjects(
    ws.git,
    ids.map((id) => `${localRef(id)}:${approvalPath(id)}`),
  );
  return texts.flatMap((entry) => {
    const text = entryText(entry);
    const record = text === undefined ? undefined : parseApproval(text);
    return record === undefined ? [] : [record];
  });
}

/** The task's record on the hub and the commit holding it; undefined when there is none. */
export async function readApproval(
  ws: Workspace,
  taskId: string,
  signal?: AbortSignal,
): Promise<{ record: ApprovalRecord; commit: string } | undefined> {
  const fetched = await ws.git.tryRun(
    [
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      ws.remote,
      `+${approvalRef(taskId)}:${localRef(taskId)}`,
    ],
    { timeoutMs: NETWORK_TIMEOUT_MS, signal },
  );
  if (!fetched.ok) {
    if (/couldn't find remote ref/i.test(fetched.stderr)) return undefined;
    throw new Error(
      `cannot read ${approvalRef(taskId)}: ${fetched.stderr.trim()}`,
    );
  }
  const commit = (await ws.git.run(["rev-parse", localRef(taskId)])).trim();
  const text = await ws.git.tryRun([
    "show",
    `${commit}:${approvalPath(taskId)}`,
  ]);
  const record = text.ok ? parseApproval(text.stdout) : undefined;
  return record === undefined ? undefined : { record, commit };
}

/** Writes `record` on top of `parent` (the tip read before); false when someone wrote first. */
export async function writeApproval(
  ws: Workspace,
  record: ApprovalRecord,
  parent: string | undefined,
  signal?: AbortSignal,
): Promise<boolean> {
  const commit = await buildStateCommit(ws.git, {
    parent,
    path: approvalPath(record.task),
    content: renderApproval(record),
    message: `approval: ${record.task} ${record.state}${record.by ? ` by ${record.by}` : ""}`,
  });
  const pushed = await pushRef(ws, commit, approvalRef(record.task), {
    signal,
  });
  return pushed.ok;
}
