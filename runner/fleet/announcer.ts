/**
 * A runner announcing itself on the hub: at start, every `everyMs` (a heartbeat), and once more at
 * its end (`stopped`). Each announcement is a commit on top of the previous one on the runner's own
 * ref, so every push is a fast-forward and main is never written. Failures (a hub outage) are
 * reported, never thrown: the fleet view is information, the claims do not depend on it.
 */
import { buildStateCommit } from "../../coordination/git/commit-builder.js";
import { NETWORK_TIMEOUT_MS } from "../../coordination/git/git.js";
import { pushRef } from "../../coordination/git/push.js";
import {
  withWorkspaceLock,
  type Workspace,
} from "../../coordination/git/workspace.js";
import type { EventInput } from "../../coordination/base/events.js";
import {
  HUB_RUNNER_REFS,
  RUNNER_FILE,
  renderRunnerRecord,
  type RunnerRecord,
} from "./runner-record.js";

/** What a runner says about itself; the heartbeat time and state are added at each announcement. */
export type RunnerAnnouncement = Omit<RunnerRecord, "heartbeatAt" | "state">;

/** The clone's mirror of the hub's runner refs. */
export function runnerMirrorPrefix(ws: Workspace): string {
  return `refs/gitswarm/${ws.remote}/runners/`;
}

/** Announces now and every `everyMs` until stopped; `stop` announces `stopped`. */
export function startAnnouncer(
  ws: Workspace,
  me: RunnerAnnouncement,
  everyMs: number,
  emit: (event: EventInput) => void,
): { stop(): Promise<void> } {
  const ref = `${HUB_RUNNER_REFS}${me.id}`;
  const mirror = `${runnerMirrorPrefix(ws)}${me.id}`;
  let parent: string | undefined;
  let reported = false;
  const announce = (state: RunnerRecord["state"]) =>
    withWorkspaceLock(ws, async () => {
      if (parent === undefined) {
        // A restart of this runner goes on from its earlier announcements (fast-forward only).
        await ws.git.tryRun(
          ["fetch", "--quiet", "--no-tags", ws.remote, `+${ref}:${mirror}`],
          { timeoutMs: NETWORK_TIMEOUT_MS },
        );
        const known = await ws.git.tryRun([
          "rev-parse",
          "--verify",
          "--quiet",
          `${mirror}^{commit}`,
        ]);
        parent = known.ok ? known.stdout.trim() : undefined;
      }
      const record = { ...me, heartbeatAt: new Date().toISOString(), state };
      const commit = await buildStateCommit(ws.git, {
        parent,
        path: RUNNER_FILE,
        content: renderRunnerRecord(record),
        message: `runner: ${me.id} on ${me.host} ${state}`,
      });
      const pushed = await pushRef(ws, commit, ref);
      parent = pushed.ok ? commit : undefined;
    }).catch((error: Error) => {
      if (reported) return;
      reported = true;
      emit({
        type: "error",
        agent: "gitswarm-runner",
        message: `announcing runner ${me.id} on the hub failed: ${error.message}`,
      });
    });
  let running = announce("running");
  const timer = setInterval(() => {
    running = running.then(() => announce("running"));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await announce("stopped");
    },
  };
}
