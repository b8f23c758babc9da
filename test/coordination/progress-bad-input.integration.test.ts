/**
 * A PROGRESS.md an adversary wrote, met through the real CLI on a real hub: items that look like
 * tasks but are not, ids git cannot put in a ref, reserved ids, an empty or binary file. `status`
 * and `claim` exit 2 naming PROGRESS.md:line, `add` refuses bad ids, and nothing changes on the
 * hub (any ref) or in the checkout. A lone CR loses no task; task-like prose is a warning.
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
const HEAD = "# Progress\n\n## Tasks\n\n- [ ] alpha: First\n";

const fixtures: SwarmFixture[] = [];
afterAll(() => Promise.all(fixtures.map((f) => f.cleanup())));

async function hubWith(
  progress: string,
): Promise<{ swarm: SwarmFixture; ws: Workspace }> {
  const swarm = await createSwarmFixture({ "PROGRESS.md": progress });
  fixtures.push(swarm);
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

/** Every ref on the hub, the clone's HEAD, status and PROGRESS.md bytes. */
async function snapshot(swarm: SwarmFixture, ws: Workspace) {
  return {
    hub: await swarm.hub.run([
      "for-each-ref",
      "--format=%(refname) %(objectname)",
    ]),
    head: (await ws.git.run(["rev-parse", "HEAD"])).trim(),
    status: await ws.git.run([
      "status",
      "--porcelain",
      "--untracked-files=all",
    ]),
    progress: await readFile(path.join(ws.dir, "PROGRESS.md"), "latin1"),
  };
}

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

describe("status and claim on a PROGRESS.md with items that are not tasks: exit 2, PROGRESS.md:line, nothing changed", () => {
  const cases = [
    [
      "an empty checkbox",
      `${HEAD}- [] t000: Box\n`,
      /PROGRESS\.md:6: this item's checkbox is not '\[ \]'/,
    ],
    [
      "a task in a quote",
      `${HEAD}\n> - [ ] t000: Quoted\n`,
      /PROGRESS\.md:7: a task inside a '>' quote/,
    ],
    [
      "a nested task item",
      `${HEAD}  - [ ] t000: Nested\n`,
      /PROGRESS\.md:6: a nested checkbox item/,
    ],
    [
      "an id git cannot put in a ref",
      `${HEAD}- [ ] a..b: Dots\n`,
      /PROGRESS\.md:6: 'a\.\.b' is not a valid task id: .*refs\/swarm\/tasks/,
    ],
    [
      "an id ending in .lock",
      `${HEAD}- [ ] x.lock: Lock\n`,
      /PROGRESS\.md:6: 'x\.lock' is not a valid task id/,
    ],
    [
      "a reserved swarm- id",
      `${HEAD}- [ ] swarm-mine: Mine\n`,
      /PROGRESS\.md:6: 'swarm-mine' is reserved/,
    ],
    ["an empty file", "", /PROGRESS\.md:1: the file is empty/],
    [
      "a binary file",
      `${HEAD}\u0000\u0001\u0002\n`,
      /PROGRESS\.md:6: the file is binary/,
    ],
  ] as const;
  it.each(cases)("%s", async (_, progress, message) => {
    const { swarm, ws } = await hubWith(progress);
    const status = await unchangedBy(swarm, ws, "status");
    expect(status.code, status.stderr).toBe(2);
    expect(status.stderr).toMatch(message);
    const claim = await unchangedBy(swarm, ws, "claim", "alpha", "--as", "me");
    expect(claim.code, claim.stderr).toBe(2);
    expect(claim.stderr).toMatch(message);
  });
});

describe("PROGRESS.md input that is fine", () => {
  it("a lone CR in prose loses no task and shifts no line", async () => {
    const { ws } = await hubWith(
      "# Progress\n\nSome prose\rwith a lone CR.\n\n- [ ] alpha: First\n- [ ] beta: Second\n  - needs: alpha\n",
    );
    const status = await gitswarm(ws, "status", "--json");
    expect(status.code, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as { tasks: { id: string }[] };
    expect(report.tasks.map((t) => t.id)).toEqual(["alpha", "beta"]);
  });

  it("prose that looks like a task is a warning naming its line, and status exits 0", async () => {
    const { ws } = await hubWith(`${HEAD}\n[ ] beta: Not a list item\n`);
    const status = await gitswarm(ws, "status");
    expect(status.code, status.stderr).toBe(0);
    expect(status.stderr).toMatch(
      /warning: PROGRESS\.md:7: this line looks like a task/,
    );
  });
});

describe("gitswarm add refuses ids PROGRESS.md cannot hold", () => {
  it.each([
    ["a..b", /'a\.\.b' is not a valid task id: .*refs\/swarm\/tasks/],
    ["y.", /'y\.' is not a valid task id/],
    ["x.lock", /'x\.lock' is not a valid task id/],
    ["swarm-x", /'swarm-x' is reserved/],
  ])("%s: exit 2, nothing changed", async (id, message) => {
    const { swarm, ws } = await hubWith(HEAD);
    const result = await unchangedBy(swarm, ws, "add", id, "A title");
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
