/**
 * The swarm as the hub shows it: every task with its live status (open, claimed, done, blocked),
 * who holds it, whether it can be claimed now, and every lock with its lease state. The pure
 * `deriveSwarmState` serves `status`, `locks` and the runner's scheduler alike.
 */
import { unfinishedNeeds } from "./claim-decision.js";
import { readLastHeartbeats } from "./heartbeat.js";
import {
  entryTaskId,
  readHubView,
  type HubView,
  type LockEntry,
} from "../state/hub-view.js";
import { assessLease, type LeaseAssessment } from "../state/lease.js";
import type { Lock } from "../state/lock-file.js";
import type { TaskMarker } from "../state/task-marker.js";
import type { QueueEntry } from "../state/queue-entry.js";
import type { ProgressProblem } from "../progress/parse.js";
import { validateProgress } from "../progress/validate.js";
import { isSystemTaskId, type Task } from "../progress/task.js";
import { fetchMain, type Workspace } from "../git/workspace.js";
import { hubTaskRef } from "../git/task-refs.js";

export type LiveStatus = "open" | "claimed" | "done" | "blocked";

export interface TaskState {
  task: Task;
  status: LiveStatus;
  holder?: Lock;
  /** Open, unheld, and every dependency done. */
  claimable: boolean;
  /** Dependencies not done yet. */
  waitingOn: string[];
  /** How the task's last claim ended (its task ref's marker), if it ended. */
  marker?: TaskMarker;
  /**
   * Its task ref holds a malformed lock or marker that no lease can expire (not breakable): the
   * ref, file, line and what is wrong. Never claimable until repaired; the run skips it.
   */
  malformed?: string;
  /** The held claim's work waits in the merge queue (its holder has moved on). */
  queued?: QueueEntry;
}

export interface LockState {
  entry: LockEntry;
  /** The claim's work waits in the merge queue: alive by that fact, whatever its heartbeats. */
  queued?: QueueEntry;
  lease?: LeaseAssessment;
  lastHeartbeat?: string;
}

/** Bad input found on the hub (PROGRESS.md or a lock file), located by file and line. */
export interface SwarmProblem extends ProgressProblem {
  file: string;
  /** The task ref the file is on, when it is not on main (a lock or marker). */
  ref?: string;
}

export interface SwarmState {
  tip: string | undefined;
  tasks: TaskState[];
  locks: LockState[];
  archivedIds: string[];
  /** PROGRESS.md problems, broken locks and locks for unknown tasks, in file then line order. */
  problems: SwarmProblem[];
  /** PROGRESS.md lines that look like tasks but are not read as tasks (prose): shown, not fatal. */
  warnings?: SwarmProblem[];
}

/** Derives task and lock states from a hub view and heartbeat times. Pure. */
export function deriveSwarmState(
  view: HubView,
  heartbeats: ReadonlyMap<string, Date>,
  now: Date,
): SwarmState {
  const progress = view.progress;
  const holders = new Map(
    view.locks.flatMap((e) => (e.ok ? [[e.lock.task, e.lock] as const] : [])),
  );
  const broken = new Set(view.locks.filter((e) => !e.ok).map(entryTaskId));
  const malformed = new Map(
    view.locks.flatMap((e) =>
      e.ok || e.breakable
        ? []
        : [
            [
              entryTaskId(e),
              `${hubTaskRef(entryTaskId(e))} ${e.file}:${e.line ?? 1}: ${e.problem}`,
            ] as const,
          ],
    ),
  );
  const markers = new Map(
    (view.taskRefs ?? []).flatMap((r) =>
      r.marker ? [[r.taskId, r.marker] as const] : [],
    ),
  );
  const queued = new Map(
    (view.taskRefs ?? []).flatMap((r) =>
      r.queued ? [[r.taskId, r.queued] as const] : [],
    ),
  );
  const tasks = (progress?.tasks ?? []).map((task): TaskState => {
    const holder = holders.get(task.id);
    const waitingOn = progress
      ? unfinishedNeeds(task, progress, view.archivedIds)
      : [];
    const status: LiveStatus =
      task.status === "done"
        ? "done"
        : holder || broken.has(task.id)
          ? "claimed"
          : task.status;
    const marker = markers.get(task.id);
    const bad = status === "claimed" ? malformed.get(task.id) : undefined;
    return {
      task,
      status,
      holder,
      ...(marker ? { marker } : {}),
      ...(bad === undefined ? {} : { malformed: bad }),
      ...(queued.has(task.id) ? { queued: queued.get(task.id) } : {}),
      waitingOn,
      claimable: status === "open" && waitingOn.length === 0,
    };
  });
  const locks = view.locks.map((entry): LockState => {
    if (!entry.ok) return { entry };
    const beat = heartbeats.get(entry.lock.branch);
    const inQueue = queued.get(entry.lock.task);
    if (inQueue !== undefined)
      return {
        entry,
        queued: inQueue,
        lease: {
          state: "live",
          staleAt: inQueue.hold
            ? "never (waits for approval)"
            : "never (queued)",
          evidence: inQueue.hold
            ? `work waits for a human's approval since ${inQueue.queuedAt}`
            : `work queued for landing since ${inQueue.queuedAt}`,
        },
        lastHeartbeat: beat?.toISOString(),
      };
    return {
      entry,
      lease: assessLease(entry.lock, beat, now),
      lastHeartbeat: beat?.toISOString(),
    };
  });
  const progressProblems = progress
    ? validateProgress(progress, view.archivedIds).map((p) => ({
        file: progress.file,
        ...p,
      }))
    : [];
  const problems = [
    ...progressProblems,
    ...lockProblems(view),
    ...legacyProblems(view),
  ];
  return {
    tip: view.tip,
    tasks,
    locks,
    archivedIds: view.archivedIds,
    problems,
    warnings: (progress?.warnings ?? []).map((w) => ({
      file: progress?.file ?? "PROGRESS.md",
      ...w,
    })),
  };
}

/** Broken lock files, and locks for tasks that PROGRESS.md (and its archive) do not declare. */
function lockProblems(view: HubView): SwarmProblem[] {
  const known = new Set([
    ...(view.progress?.tasks ?? []).map((t) => t.id),
    ...view.archivedIds,
  ]);
  return view.locks.flatMap((entry): SwarmProblem[] => {
    const taskId = entryTaskId(entry);
    const remove = `or remove it: gitswarm locks break ${taskId} --force --as NAME`;
    if (!entry.ok)
      return [
        {
          file: entry.file,
          ref: hubTaskRef(taskId),
          line: entry.line ?? 1,
          message: entry.breakable
            ? `${entry.problem}; a broken lock: break it with gitswarm locks break ${taskId} --as NAME`
            : `${entry.problem}; repair it on the hub's refs/swarm/tasks/${taskId}, ${remove}`,
        },
      ];
    // Without a PROGRESS.md every task is unknown; that problem is reported on its own. A recurring
    // system task (`swarm-land`, `swarm-coalesce`) is never declared: its lock is the protocol's.
    if (
      view.progress === undefined ||
      known.has(entry.lock.task) ||
      isSystemTaskId(entry.lock.task)
    )
      return [];
    const add = `add the task (gitswarm add ${taskId} "Title") ${remove}`;
    return [
      {
        file: entry.file,
        ref: hubTaskRef(taskId),
        line: 2,
        message: `a lock for task '${taskId}', which PROGRESS.md does not declare; ${add}`,
      },
    ];
  });
}

/** Lock files on main: the hub still uses the previous layout. */
function legacyProblems(view: HubView): SwarmProblem[] {
  return (view.legacyLocks ?? []).map((file) => ({
    file,
    line: 1,
    message:
      "a lock on main from gitswarm's previous layout; move every such lock to its task ref with: gitswarm locks migrate --as NAME",
  }));
}

export interface ReadStateOptions {
  /** Fetch the hub's main first (default true). */
  fetch?: boolean;
  /** Look up each lock's last heartbeat for lease states (default true; costs a round trip). */
  leases?: boolean;
  now?: Date;
  signal?: AbortSignal;
}

/** Fetches the hub (unless told not to) and reads the full swarm state with lease evidence. */
export async function readSwarmState(
  ws: Workspace,
  options: ReadStateOptions = {},
): Promise<SwarmState> {
  if (options.fetch !== false) await fetchMain(ws, options.signal);
  let view = await readHubView(ws, options.now);
  // A done/blocked marker newer than the main we read: main moved between the two reads of one
  // fetch, or this clone's main is older; read again rather than show the task open.
  for (let read = 0; read < 3 && options.fetch !== false; read += 1) {
    if (!(view.taskRefs ?? []).some((r) => r.markerInMain === false)) break;
    await fetchMain(ws, options.signal);
    view = await readHubView(ws, options.now);
  }
  const branches = view.locks.flatMap((e) => (e.ok ? [e.lock.branch] : []));
  const heartbeats =
    options.leases === false
      ? new Map<string, Date>()
      : await readLastHeartbeats(ws, branches, options.signal);
  return deriveSwarmState(view, heartbeats, options.now ?? new Date());
}
