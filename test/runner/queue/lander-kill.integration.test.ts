/**
 * A lander SIGKILLed mid-step loses no entry and lands none twice: `gitswarm land` runs as its own
 * process and kills itself at a named step (runner/queue/crash-point.ts, honoured under the test
 * runner only); a second `gitswarm land` in the same folder resumes its claim and finishes. Each
 * round queues three tasks, the middle one a culprit (it breaks a passing case), so the batch is
 * red, bisected, the green part landed and the culprit handed back: every step is on the path.
 * GITSWARM_TEST_KILL_POINTS picks the steps ("all", or a comma list); by default only "landed"
 * (the push is on the hub, nothing after it ran: the step where a restart could land twice).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decode,
  runProcess,
  type SpawnResult,
} from "../../../coordination/base/spawn.js";
import type { Workspace } from "../../../coordination/git/workspace.js";
import { CrashPoints } from "../../../runner/queue/crash-point.js";
import { hubTask } from "../../support/swarm-fixture.js";
import { GITSWARM_BIN } from "../support/cli-run.js";
import {
  createQueueFixture,
  mainSubjects,
  queueRefs,
  type QueueFixture,
} from "./queue-fixture.js";

const wanted = process.env.GITSWARM_TEST_KILL_POINTS ?? "landed";
// 'speculated' needs two green batches in one turn: speculation.integration.test.ts kills there.
const points = CrashPoints.filter(
  (p) =>
    p !== "speculated" && (wanted === "all" || wanted.split(",").includes(p)),
);
const roundTasks = (i: number): [string, string, string] => [
  `k${i}a`,
  `k${i}b`,
  `k${i}c`,
];

let fixture: QueueFixture;
let home: Workspace;
beforeAll(async () => {
  fixture = await createQueueFixture(points.flatMap((_, i) => roundTasks(i)));
  home = await fixture.clone("lander-home");
}, 120_000);
afterAll(() => fixture.cleanup());

function land(kill?: string): Promise<SpawnResult> {
  return runProcess(process.execPath, [GITSWARM_BIN, "land"], {
    cwd: home.dir,
    env: { GITSWARM_TEST_LANDER_KILL: kill },
    timeoutMs: 180_000,
  });
}

describe("a lander killed mid-step", () => {
  it.each(points.map((point, i) => [point, i] as const))(
    "killed at '%s', a restart lands every entry exactly once",
    async (point, i) => {
      const [a, culprit, c] = roundTasks(i);
      const shared = { "impl/shared.txt": `${a}\n` };
      await fixture.enqueue(a, point === "hand-back" ? shared : {});
      await fixture.enqueue(culprit, { "impl/base.txt": "broken\n" });
      // At 'hand-back', c adds the same new file as a: it conflicts once a is merged.
      await fixture.enqueue(
        c,
        point === "hand-back" ? { "impl/shared.txt": `${c}\n` } : {},
      );

      const killed = await land(point);
      expect(
        killed.signal,
        `never reached '${point}': ${decode(killed.stderr)}`,
      ).toBe("SIGKILL");
      const restarted = await land();
      expect(restarted.exitCode, decode(restarted.stderr)).toBe(0);

      const subjects = await mainSubjects(fixture);
      const landings = (id: string) =>
        subjects.filter((s) => s.startsWith(`done: ${id} `)).length;
      const landed = point === "hand-back" ? [a] : [a, c];
      for (const id of landed) {
        expect(landings(id), `${id} on main`).toBe(1);
        expect((await hubTask(fixture.hub, id)).text).toMatch(/state: done/);
      }
      expect(landings(culprit)).toBe(0);
      const blamed = (await hubTask(fixture.hub, culprit)).text;
      expect(blamed).toMatch(/state: released/);
      expect(blamed).toMatch(/attempt 1 failed: oracle/);
      if (point === "hand-back") {
        expect(landings(c)).toBe(0);
        expect((await hubTask(fixture.hub, c)).text).toMatch(
          /state: released[\s\S]*conflicts with what landed/,
        );
      }
      expect(await queueRefs(fixture)).toEqual([]);
    },
    400_000,
  );
});
