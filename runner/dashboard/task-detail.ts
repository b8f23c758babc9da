/**
 * The task page's data: the task's history on its task ref (every claim, heartbeat snapshot,
 * release and marker, as commits), its attempts from the run's events, the diff of its work
 * branch against main, and its oracle cases with the results the run saw.
 */
import type { SwarmEvent } from "../../coordination/base/events.js";
import { trackingTaskRef } from "../../coordination/git/task-refs.js";
import {
  trackingRef,
  type Workspace,
} from "../../coordination/git/workspace.js";
import type { SwarmState } from "../../coordination/protocol/swarm-state.js";

/** One step of a task's history. */
export interface TaskHistoryEntry {
  commit: string;
  time: string;
  author: string;
  subject: string;
}

/** What the task page shows. */
export interface TaskDetail {
  id: string;
  title: string;
  status: string;
  notes: string[];
  history: TaskHistoryEntry[];
  attempts: { time: string; agent: string; what: string; reason?: string }[];
  branch: string | null;
  diff: { stat: string; patch: string; truncated: boolean } | null;
  oracle: {
    cases: string[];
    runs: { time: string; scope: string; passed: number; failed: number }[];
  };
}

const MAX_PATCH_CHARS = 200_000;
const SEP = "\u001f";

/** Reads a task's page; undefined when the hub declares no such task. */
export async function readTaskDetail(
  ws: Workspace,
  state: SwarmState | undefined,
  events: readonly SwarmEvent[],
  taskId: string,
): Promise<TaskDetail | undefined> {
  const entry = state?.tasks.find((t) => t.task.id === taskId);
  if (entry === undefined) return undefined;
  const log = await ws.git.tryRun([
    "log",
    "-n",
    "200",
    `--format=%H${SEP}%aI${SEP}%an${SEP}%s`,
    trackingTaskRef(ws, taskId),
    "--",
  ]);
  const history = log.ok ? parseHistory(log.stdout) : [];
  const branch = entry.holder?.branch ?? entry.marker?.branch ?? null;
  return {
    id: taskId,
    title: entry.task.title,
    status: entry.status,
    notes: entry.task.notes,
    history,
    attempts: attemptsOf(events, taskId),
    branch,
    diff: branch === null ? null : await branchDiff(ws, branch),
    oracle: {
      cases: entry.task.cases,
      runs: events.flatMap((e) =>
        e.type === "oracle" && e.task === taskId
          ? [
              {
                time: e.time,
                scope: e.scope,
                passed: e.passed,
                failed: e.failed,
              },
            ]
          : [],
      ),
    },
  };
}

/** Parses `git log --format=%H<US>%aI<US>%an<US>%s`. Pure. */
export function parseHistory(stdout: string): TaskHistoryEntry[] {
  return stdout
    .split("\n")
    .filter((line) => line.includes(SEP))
    .map((line) => {
      const [commit = "", time = "", author = "", subject = ""] =
        line.split(SEP);
      return { commit, time, author, subject };
    });
}

/** A task's attempts in the run's events: claims, failures, blocks, releases, done. Pure. */
export function attemptsOf(
  events: readonly SwarmEvent[],
  taskId: string,
): TaskDetail["attempts"] {
  return events.flatMap((e) => {
    if (!("task" in e) || e.task !== taskId || !("agent" in e)) return [];
    const agent = e.agent ?? "";
    switch (e.type) {
      case "claim":
        return [
          {
            time: e.time,
            agent,
            what: `claim ${e.outcome}`,
            ...(e.reason ? { reason: e.reason } : {}),
          },
        ];
      case "attempt-failed":
        return [
          {
            time: e.time,
            agent,
            what: `attempt ${e.attempt} failed`,
            reason: e.reason,
          },
        ];
      case "blocked":
        return [{ time: e.time, agent, what: "blocked", reason: e.reason }];
      case "released":
        return [{ time: e.time, agent, what: "released", reason: e.reason }];
      case "break":
        return [
          { time: e.time, agent, what: "lock broken", reason: e.evidence },
        ];
      case "done":
        return [{ time: e.time, agent, what: `done (attempt ${e.attempt})` }];
      default:
        return [];
    }
  });
}

async function branchDiff(ws: Workspace, branch: string) {
  // A private ref: the work branch is fetched on demand, never into the user's branches.
  const local = `refs/gitswarm-dashboard/${branch}`;
  const fetched = await ws.git.tryRun([
    "fetch",
    "--quiet",
    "--no-tags",
    ws.remote,
    `+refs/heads/${branch}:${local}`,
  ]);
  if (!fetched.ok) return null;
  const range = `${trackingRef(ws)}...${local}`;
  const [stat, patch] = await Promise.all([
    ws.git.tryRun(["diff", "--stat", range, "--"]),
    ws.git.tryRun(["diff", range, "--"]),
  ]);
  const text = patch.ok ? patch.stdout : "";
  return {
    stat: stat.ok ? stat.stdout : "",
    patch: text.slice(0, MAX_PATCH_CHARS),
    truncated: text.length > MAX_PATCH_CHARS,
  };
}
