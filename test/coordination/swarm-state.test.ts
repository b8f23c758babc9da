/** The hub's bad input as `deriveSwarmState` reports it, and lock parse errors located by line. */
import { describe, expect, it } from "vitest";
import { toLockEntry } from "../../coordination/state/hub-view.js";
import {
  parseLock,
  renderLock,
  type Lock,
} from "../../coordination/state/lock-file.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import { deriveSwarmState } from "../../coordination/protocol/swarm-state.js";

const held = (task: string): Lock => ({
  task,
  agent: "bob",
  host: "box",
  claimId: "0123456789abcdef",
  claimedAt: "2026-01-01T00:00:00.000Z",
  leaseUntil: "2026-01-01T00:10:00.000Z",
  branch: `swarm/bob/${task}`,
  attempt: 1,
  plan: "",
});

describe("deriveSwarmState problems", () => {
  const progress = parseProgress(
    "# P\n\n- [ ] a: A\n- [ ] b: B\n  - needs: ghost\n",
  );
  const locks = [
    toLockEntry("locks/a.md", "---\ntask: a\n  agent: bob\n---\n"),
    toLockEntry("locks/z.md", renderLock(held("z"))),
    toLockEntry("locks/old.md", renderLock(held("old"))),
    // The lander's and the coalescer's recurring tasks are never in PROGRESS.md.
    toLockEntry("locks/swarm-land.md", renderLock(held("swarm-land"))),
    toLockEntry("locks/swarm-coalesce.md", renderLock(held("swarm-coalesce"))),
  ];
  const state = deriveSwarmState(
    { tip: "t", progress, archivedIds: ["old"], locks },
    new Map(),
    new Date("2026-01-01T00:00:00Z"),
  );

  it("names PROGRESS.md problems, broken locks and locks for undeclared tasks with file and line, not system tasks' locks", () => {
    expect(state.problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      "PROGRESS.md:4",
      "locks/a.md:3",
      "locks/z.md:2",
    ]);
    expect(state.problems[1]?.message).toMatch(
      /^broken front matter \(YAML\): bad indentation.*gitswarm locks break a --force/,
    );
    expect(state.problems[2]?.message).toMatch(
      /lock for task 'z', which PROGRESS.md does not declare/,
    );
  });

  it("still derives what it can: the broken lock marks its task claimed", () => {
    expect(state.tasks.map((t) => [t.task.id, t.status])).toEqual([
      ["a", "claimed"],
      ["b", "open"],
    ]);
  });

  it("a hub without problems reports none", () => {
    const clean = deriveSwarmState(
      {
        tip: "t",
        progress: parseProgress("- [ ] a: A\n"),
        archivedIds: [],
        locks: [toLockEntry("locks/a.md", renderLock(held("a")))],
      },
      new Map(),
      new Date(),
    );
    expect(clean.problems).toEqual([]);
  });
});

describe("parseLock locates problems by file line", () => {
  it.each([
    [
      "a duplicated key",
      "---\ntask: a\nagent: x\nagent: y\n---\n",
      4,
      /duplicated mapping key/,
    ],
    [
      "bad indentation",
      "---\ntask: a\n  agent: x\nhost: h\n---\n",
      3,
      /bad indentation/,
    ],
    [
      "a missing key",
      renderLock(held("a")).replace(/^agent: .*\n/m, ""),
      1,
      /^agent: missing; a lock's front matter needs task, agent, host/,
    ],
    [
      "a bad lease",
      renderLock(held("a")).replace(
        /^lease-until: .*$/m,
        "lease-until: banana",
      ),
      7,
      /^lease-until: 'banana' is not a date/,
    ],
  ])("%s", (_, text, line, problem) => {
    const parsed = parseLock(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect([parsed.line, parsed.problem]).toEqual([
        line,
        expect.stringMatching(problem),
      ]);
  });
});
