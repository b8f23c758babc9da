/**
 * Issue 19, item 3: a human deletes one claimed task and renames another in PROGRESS.md while the
 * agent works on each. The deleted task's claim is released with a reason that names the branch
 * its work is kept on (no crash, no respawn, no dangling lock); the renamed task's claim and work
 * move to the new id, which is done once with that work, and the old id is never done. Both ways
 * work lands: through the merge queue the deleted task's work is refused at the enqueue.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import {
  killEverything,
  startRun,
  type RunningSwarm,
} from "./support/cli-run.js";
import {
  historyProblems,
  readHubMain,
  type HubCommit,
} from "./support/hub-history.js";
import { makeTasks, taskEntry } from "./support/swarm-repo.js";
import { createScenario, type Scenario } from "./support/swarm-scenario.js";
import { waitUntil } from "./support/wait.js";

describe.each([
  { queue: false, path: "each agent landing its own" },
  { queue: true, path: "the merge queue" },
])(
  "deleting and renaming claimed tasks in PROGRESS.md during gitswarm run ($path)",
  ({ queue }) => {
    let scenario: Scenario;
    let run: RunningSwarm | undefined;
    let hubDir = "";
    let history: HubCommit[] = [];
    let exitCode: number | null = null;
    let deleted = "";
    let renamed = "";
    let hubBranches = "";
    let taskRefs = "";

    beforeAll(async () => {
      scenario = await createScenario({
        tasks: makeTasks(4),
        api: ["openai"],
        cli: [],
        lease: "30s",
        queue,
      });
      const dir = scenario.repo.dir;
      hubDir = path.join(dir, ".gitswarm", "hub.git");
      const file = path.join(dir, "PROGRESS.md");
      const openai = scenario.models[0];
      if (openai === undefined) throw new Error("no openai model");
      const humanSyncs = () =>
        run?.events.filter(
          (e) => e.type === "progress-sync" && e.source === "human",
        ).length ?? 0;

      const hold1 = openai.holdNext();
      run = startRun(dir, scenario.env);
      deleted = await hold1.reached;
      const text = await readFile(file, "utf8");
      const entry = taskEntry({ id: deleted, needs: [] });
      expect(text).toContain(entry);
      await writeFile(file, text.replace(entry, ""));
      await run.waitFor(
        (e) => e.type === "progress-sync" && e.source === "human",
        60_000,
        "the deletion synced",
      );
      hold1.release();
      const hold2 = openai.holdNext();
      await run.waitFor(
        (e) => e.type === "released" && e.task === deleted,
        120_000,
        "the deleted task's claim released",
      );

      const second = await hold2.reached;
      renamed = `${second}-renamed`;
      const before = humanSyncs();
      const now = await readFile(file, "utf8");
      expect(now).toContain(`- [ ] ${second}: `);
      await writeFile(
        file,
        now.replace(`- [ ] ${second}: `, `- [ ] ${renamed}: `),
      );
      await waitUntil(() => humanSyncs() > before, 60_000, "the rename synced");
      hold2.release();
      exitCode = (await run.done).exitCode;
      history = await readHubMain(hubDir);
      const hub = new Git(hubDir);
      hubBranches = await hub.run(["branch", "--list", "swarm/*"]);
      taskRefs = await hub.run([
        "for-each-ref",
        "--format=%(refname)",
        "refs/swarm/tasks",
      ]);
    }, 300_000);

    afterAll(async () => {
      await killEverything(run, scenario.repo.dir);
      await scenario.cleanup();
    });

    it("released the deleted task's claim, naming the branch its work is kept on", () => {
      const released = run?.events.find(
        (e) => e.type === "released" && e.task === deleted,
      );
      expect(String(released?.reason)).toMatch(
        new RegExp(
          `'${deleted}' was deleted from PROGRESS.md .* kept on branch swarm/openai-api/${deleted}$`,
        ),
      );
      expect(hubBranches).toContain(`swarm/openai-api/${deleted}`);
    });

    it("never crashed or respawned the agent", () => {
      expect(
        run?.events.filter(
          (e) =>
            e.type === "respawn" ||
            (e.type === "agent-state" && e.state === "dead") ||
            (e.type === "error" && /no task/.test(String(e.message))),
        ),
      ).toEqual([]);
    });

    it("moved the renamed task's claim and work to the new id", () => {
      const second = renamed.replace(/-renamed$/, "");
      const released = run?.events.find(
        (e) => e.type === "released" && e.task === second,
      );
      expect(String(released?.reason)).toMatch(
        new RegExp(`renamed to '${renamed}'`),
      );
      expect(
        run?.events.filter((e) => e.type === "done").map((e) => e.task),
      ).toContain(renamed);
      expect(
        history.filter((c) => c.action === "done" && c.task === second),
      ).toEqual([]);
      expect(taskRefs).toContain(`refs/swarm/tasks/${renamed}`);
      // The runner carried the claim when the rename reached the hub; the agent resumed it.
      const claims = run?.events
        .filter((e) => e.type === "claim" && e.task === renamed)
        .map((e) => `${String(e.agent)} ${String(e.outcome)}`);
      expect(claims).toEqual(["openai-api won", "openai-api resumed"]);
    });

    it("finished with every remaining task done exactly once and the deleted one never done", () => {
      expect(exitCode).toBe(0);
      const second = renamed.replace(/-renamed$/, "");
      const remaining = scenario.repo.tasks
        .filter((t) => t.id !== deleted && t.id !== second)
        .concat([{ id: renamed, needs: [] }]);
      expect(
        historyProblems(history, remaining, new Set([scenario.repo.seed])),
      ).toEqual([]);
      expect(
        history.filter((c) => c.action === "done" && c.task === deleted),
      ).toEqual([]);
    });
  },
);
