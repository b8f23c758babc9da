/**
 * Bad input through the real CLI on real hubs and clones: every case exits with the contract's
 * code, names the file and line and what to do, and changes nothing — neither the hub's main nor
 * the clone's files.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Workspace } from "../../coordination/git/workspace.js";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../support/swarm-fixture.js";

const BIN = new URL("../../bin/gitswarm", import.meta.url).pathname;
const GOOD = `# Progress\n\n## Tasks\n\n- [ ] alpha: First\n- [ ] beta: Second\n  - needs: alpha\n- [ ] gamma: Third\n`;

const fixtures: SwarmFixture[] = [];
afterAll(() => Promise.all(fixtures.map((f) => f.cleanup())));

/**
 * A hub whose main holds `files` and a clone of it for the agent `me`; `locks/<id>.md` entries go
 * on the task ref refs/swarm/tasks/<id>, where locks live (written by hand, as a human could).
 */
async function hubWith(
  files: Record<string, string>,
): Promise<{ swarm: SwarmFixture; ws: Workspace }> {
  const onMain = Object.fromEntries(
    Object.entries(files).filter(([name]) => !name.startsWith("locks/")),
  );
  const swarm = await createSwarmFixture(onMain);
  fixtures.push(swarm);
  for (const [name, text] of Object.entries(files)) {
    if (!name.startsWith("locks/")) continue;
    await swarm.pushTaskState(name.slice(6, -3), name, text);
  }
  return { swarm, ws: await swarm.clone("me") };
}

async function gitswarm(ws: Workspace, ...args: string[]) {
  const run = await runProcess(
    process.execPath,
    [BIN, ...args, "--repo", ws.dir],
    { cwd: ws.dir, timeoutMs: 90_000 },
  );
  return {
    code: run.exitCode,
    stdout: decode(run.stdout),
    stderr: decode(run.stderr),
  };
}

/** What must not move: the hub's main and task refs, the clone's HEAD, its status and its PROGRESS.md. */
async function snapshot(swarm: SwarmFixture, ws: Workspace) {
  return {
    hub: (await swarm.hub.run(["rev-parse", "main"])).trim(),
    taskRefs: await swarm.hub.run(["for-each-ref", "refs/swarm/"]),
    head: (await ws.git.run(["rev-parse", "HEAD"])).trim(),
    status: await ws.git.run([
      "status",
      "--porcelain",
      "--untracked-files=all",
    ]),
    progress: await readFile(path.join(ws.dir, "PROGRESS.md"), "utf8"),
  };
}

/** Runs the CLI and checks it changed nothing. */
async function unchangedBy(
  swarm: SwarmFixture,
  ws: Workspace,
  ...args: string[]
) {
  const before = await snapshot(swarm, ws);
  const result = await gitswarm(ws, ...args);
  expect(
    await snapshot(swarm, ws),
    `${args.join(" ")} changed something`,
  ).toEqual(before);
  return result;
}

function lock(fields: Record<string, string>): string {
  const front = Object.entries(fields).map(
    ([key, value]) => `${key}: ${value}`,
  );
  return `---\n${front.join("\n")}\n---\n`;
}

const HOUR = 3_600_000;
const at = (ms: number) =>
  JSON.stringify(new Date(Date.now() + ms).toISOString());
/** A live lock: claimed an hour ago, a lease until tomorrow. */
const VALID = {
  task: "beta",
  agent: '"bob"',
  host: '"box"',
  claim: '"0123456789abcdef"',
  "claimed-at": at(-HOUR),
  "lease-until": at(24 * HOUR),
  branch: '"swarm/bob/beta"',
  attempt: "1",
};

describe("gitswarm claim on a hub whose PROGRESS.md is broken: exit 2, file:line, nothing changed", () => {
  const cases = [
    [
      "a malformed task item",
      "- [ ] just some words",
      /PROGRESS\.md:6: a task item must read `- \[ \] task-id: Title`/,
    ],
    [
      "a duplicate task id",
      "- [ ] alpha: Again",
      /PROGRESS\.md:6: duplicate task id 'alpha' \(first declared on line 5\)/,
    ],
    [
      "a dependency on an unknown id",
      "- [ ] delta: D\n  - needs: ghost",
      /PROGRESS\.md:6: task 'delta' needs 'ghost', which is not a task/,
    ],
    [
      "a dependency cycle",
      "- [ ] delta: D\n  - needs: epsilon\n- [ ] epsilon: E\n  - needs: delta",
      /PROGRESS\.md:\d+: dependency cycle: (delta|epsilon) -> /,
    ],
  ] as const;
  it.each(cases)("%s", async (_, item, message) => {
    const { swarm, ws } = await hubWith({
      "PROGRESS.md": `# Progress\n\n## Tasks\n\n- [ ] alpha: First\n${item}\n`,
    });
    const result = await unchangedBy(swarm, ws, "claim", "alpha", "--as", "me");
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("fix PROGRESS.md on the hub");
  });
});

describe("gitswarm claim: unknown task, broken locks, bad lease", () => {
  it("refuses a task PROGRESS.md does not declare, saying how to add it", async () => {
    const { swarm, ws } = await hubWith({ "PROGRESS.md": GOOD });
    const result = await unchangedBy(swarm, ws, "claim", "nope", "--as", "me");
    expect([result.code, result.stderr]).toEqual([
      2,
      expect.stringContaining(
        `no task 'nope' in PROGRESS.md; add it with 'gitswarm add nope "title"'`,
      ),
    ]);
  });

  const locks = [
    [
      "broken front matter",
      "alpha",
      '---\ntask: alpha\nagent: "bob"\nagent: "carol"\n---\n',
      /locks\/alpha\.md:4: broken front matter \(YAML\): duplicated mapping key/,
    ],
    [
      "no agent (holder name missing)",
      "beta",
      lock({ ...VALID, agent: "" }).replace("agent: \n", ""),
      /locks\/beta\.md:1: agent: missing/,
    ],
    [
      "a malformed lease-until",
      "gamma",
      lock({
        ...VALID,
        task: "gamma",
        branch: '"swarm/bob/gamma"',
        "lease-until": "banana",
      }),
      /locks\/gamma\.md:7: lease-until: 'banana' is not a date/,
    ],
  ] as const;
  it.each(locks)(
    "a lock with %s: exit 2 naming the lock file and line, and how to remove it",
    async (_, task, text, message) => {
      const { swarm, ws } = await hubWith({
        "PROGRESS.md": GOOD.replace("  - needs: alpha\n", ""),
        [`locks/${task}.md`]: text,
      });
      const result = await unchangedBy(swarm, ws, "claim", task, "--as", "me");
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain(`gitswarm locks break ${task} --force`);
    },
  );

  it("--lease banana is bad usage: exit 2 and no claim", async () => {
    const { swarm, ws } = await hubWith({ "PROGRESS.md": GOOD });
    const result = await unchangedBy(
      swarm,
      ws,
      "claim",
      "alpha",
      "--as",
      "me",
      "--lease",
      "banana",
    );
    expect([result.code, result.stderr]).toEqual([
      2,
      expect.stringContaining(`--lease 'banana' is not a duration`),
    ]);
  });
});

describe("gitswarm status and locks on a hub with bad locks: print what they can, name each problem, exit 2", () => {
  const files = {
    "PROGRESS.md": GOOD,
    "locks/alpha.md": "---\ntask: alpha\n  agent: bob\n---\n",
    "locks/beta.md": lock(VALID),
    "locks/zeta.md": lock({
      ...VALID,
      task: "zeta",
      branch: '"swarm/bob/zeta"',
    }),
  };
  const problems = [
    /locks\/alpha\.md:3: broken front matter \(YAML\): bad indentation/,
    /locks\/zeta\.md:2: a lock for task 'zeta', which PROGRESS\.md does not declare/,
  ];

  it("status", async () => {
    const { swarm, ws } = await hubWith(files);
    const result = await unchangedBy(swarm, ws, "status");
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(/\[~\] beta: Second — bob/);
    expect(result.stdout).toMatch(/\[ \] gamma: Third/);
    for (const problem of problems) expect(result.stderr).toMatch(problem);
    expect(result.stderr).toContain("gitswarm locks break zeta --force");
    const json = await gitswarm(ws, "status", "--json");
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as {
      problems: { file: string; line: number }[];
    };
    expect(report.problems.map((p) => `${p.file}:${p.line}`)).toEqual([
      "locks/alpha.md:3",
      "locks/zeta.md:2",
    ]);
  });

  it("locks", async () => {
    const { swarm, ws } = await hubWith(files);
    const result = await unchangedBy(swarm, ws, "locks");
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toMatch(/^beta\s+bob\s+live/m);
    for (const problem of problems) expect(result.stderr).toMatch(problem);
  });

  it("a clean hub still exits 0", async () => {
    const { ws } = await hubWith({
      "PROGRESS.md": GOOD,
      "locks/beta.md": lock(VALID),
    });
    expect((await gitswarm(ws, "status")).code).toBe(0);
    expect((await gitswarm(ws, "locks")).code).toBe(0);
  });
});

describe("locks whose times cannot be true are broken locks: exit 2 naming file:line, breakable without --force", () => {
  const cases = [
    [
      "a lease that ends before the claim",
      { "claimed-at": at(-HOUR), "lease-until": at(-2 * HOUR) },
      /locks\/beta\.md:7: lease-until: .* the lease ends before it was claimed/,
    ],
    [
      "a claim in the future",
      { "claimed-at": at(2 * HOUR), "lease-until": at(3 * HOUR) },
      /locks\/beta\.md:6: claimed-at: .* is in the future/,
    ],
    [
      "a lease longer than 30 days",
      { "claimed-at": at(-HOUR), "lease-until": at(31 * 24 * HOUR) },
      /locks\/beta\.md:7: lease-until: a lease of .* is longer than 30 days/,
    ],
  ] as const;
  it.each(cases)("%s", async (_, times, message) => {
    const { swarm, ws } = await hubWith({
      "PROGRESS.md": GOOD,
      "locks/beta.md": lock({ ...VALID, ...times }),
    });
    for (const command of ["locks", "status"]) {
      const result = await unchangedBy(swarm, ws, command);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const broken = await gitswarm(ws, "locks", "break", "beta", "--as", "me");
    expect(broken.code, broken.stderr).toBe(0);
    expect((await gitswarm(ws, "locks")).code).toBe(0);
  });
});

describe("gitswarm release of a task you do not hold", () => {
  it("exit 3, says who holds it, nothing changed", async () => {
    const { swarm, ws } = await hubWith({
      "PROGRESS.md": GOOD,
      "locks/beta.md": lock(VALID),
    });
    const held = await unchangedBy(swarm, ws, "release", "beta", "--as", "me");
    expect([held.code, held.stderr]).toEqual([
      3,
      expect.stringContaining(
        // The holder with its runner (bob@box): a name alone does not tell two hosts' bobs apart.
        `'beta' is held by bob@box, not by me (claim 0123456789abcdef); nothing was changed`,
      ),
    ]);
    const free = await unchangedBy(
      swarm,
      ws,
      "release",
      "gamma",
      "--as",
      "me",
      "--done",
    );
    expect([free.code, free.stderr]).toEqual([
      3,
      expect.stringContaining(`me holds no claim on 'gamma'`),
    ]);
  });
});

describe("gitswarm add with bad input: exit 2, file:line, PROGRESS.md untouched", () => {
  const cases = [
    [
      "a duplicate id",
      ["alpha", "Again"],
      /task 'alpha' already exists in PROGRESS\.md:5; pick another id/,
    ],
    [
      "an unknown dependency",
      ["delta", "D", "--needs", "alpha,ghost"],
      /--needs ghost: no task 'ghost' in PROGRESS\.md/,
    ],
    [
      "a dependency on itself (a cycle)",
      ["delta", "D", "--needs", "delta"],
      /--needs delta: a task cannot need itself/,
    ],
    ["a bad id", ["Bad_Id", "X"], /'Bad_Id' is not a valid task id/],
  ] as const;
  it.each(cases)("%s", async (_, args, message) => {
    const { swarm, ws } = await hubWith({ "PROGRESS.md": GOOD });
    const result = await unchangedBy(swarm, ws, "add", ...args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("a PROGRESS.md that already has a cycle is named line by line", async () => {
    const cyclic = `${GOOD}- [ ] delta: D\n  - needs: epsilon\n- [ ] epsilon: E\n  - needs: delta\n`;
    const { swarm, ws } = await hubWith({ "PROGRESS.md": cyclic });
    const result = await unchangedBy(swarm, ws, "add", "zeta", "Z");
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/PROGRESS\.md:(9|11): dependency cycle: /);
    expect(result.stderr).toContain("nothing was changed");
  });
});
