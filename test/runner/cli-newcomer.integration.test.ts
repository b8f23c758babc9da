/**
 * Issue 14: a newcomer's first commands through the real CLI — `init` then `add` keeps one
 * `## Tasks` heading; after `gitswarm run` the protocol commands in the user's own repo find the
 * hub the way `run` does (not `origin`); `--as` defaults to `git config user.name`, named in the output.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import { runCli } from "./support/cli-run.js";
import { createSwarmRepo, makeTasks } from "./support/swarm-repo.js";
import { installTaskClis } from "./support/task-clis.js";

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A bare repository standing for the user's own upstream (GitHub, say): never the hub. */
async function unrelatedOrigin(repo: string): Promise<string> {
  const origin = path.join(await tempDir("gitswarm-origin-"), "origin.git");
  await new Git(repo).run(["init", "--quiet", "--bare", origin]);
  await new Git(repo).run(["remote", "add", "origin", origin]);
  return origin;
}

describe("gitswarm init, add and status in an empty directory", () => {
  it("writes one `## Tasks` heading, the tasks under it in order, and status lists them with no hub yet", async () => {
    const dir = path.join(await tempDir("gitswarm-newcomer-"), "proj");
    expect((await runCli(["init", "--repo", dir])).code).toBe(0);
    const add1 = await runCli(["add", "lexer", "Tokenise", "--repo", dir]);
    expect(add1.code, add1.stderr).toBe(0);
    const add2 = await runCli([
      ...["add", "parser", "Parse", "--needs", "lexer", "--repo", dir],
    ]);
    expect(add2.code, add2.stderr).toBe(0);
    const text = await readFile(path.join(dir, "PROGRESS.md"), "utf8");
    expect(text.match(/^#+\s+Tasks\s*$/gim)).toHaveLength(1);
    expect(text).toMatch(
      /## Tasks\n\n- \[ \] lexer: Tokenise\n- \[ \] parser: Parse\n {2}- needs: lexer\n$/,
    );
    const status = await runCli(["status", "--repo", dir, "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const json = JSON.parse(status.stdout) as { counts: { open: number } };
    expect(json.counts.open).toBe(2);
  }, 60_000);

  it("a command that acts for someone, with no --as and no user.name: exit 2 saying so", async () => {
    const dir = path.join(await tempDir("gitswarm-newcomer-"), "proj");
    expect((await runCli(["init", "--repo", dir])).code).toBe(0);
    const noIdentity = {
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
    };
    const claim = await runCli(["claim", "x", "--repo", dir], noIdentity);
    expect(claim.code).toBe(2);
    expect(claim.stderr).toMatch(/needs --as NAME.*user\.name is not set/);
  }, 60_000);
});

describe("after gitswarm run, the protocol commands in the user's repo", () => {
  let dir = "";
  let origin = "";
  let binDir = "";
  const env = () => ({
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    // The preflight wants a key for a CLI agent; the fake `claude` never sends it anywhere.
    ANTHROPIC_API_KEY: "sk-ant-test-dummy",
  });

  beforeAll(async () => {
    binDir = await installTaskClis(["claude"]);
    temps.push(binDir);
    const repo = await createSwarmRepo(
      makeTasks(3),
      "lease: 5s\nagents:\n  - name: cc\n    kind: claude-code\n",
    );
    temps.push(repo.root);
    dir = repo.dir;
    origin = await unrelatedOrigin(dir);
    const run = await runCli(
      ["run", "--repo", dir, "--max-tasks", "1", "--json"],
      env(),
    );
    // What the commands below rely on is the run's set-up (hub, `gitswarm` remote), not its tasks.
    expect(run.code, `${run.stderr}\n${run.stdout.slice(-3000)}`).not.toBe(2);
    expect(await new Git(dir).run(["remote"])).toMatch(/^gitswarm$/m);
  }, 180_000);

  it("status reads the embedded hub, not origin", async () => {
    const status = await runCli(["status", "--repo", dir, "--json"]);
    expect(status.code, status.stderr).toBe(0);
    const json = JSON.parse(status.stdout) as { tip: string; tasks: [] };
    const hubTip = await new Git(path.join(dir, ".gitswarm", "hub.git")).run([
      ...["rev-parse", "refs/heads/main"],
    ]);
    expect(json.tip).toBe(hubTip.trim());
    expect(json.tasks).toHaveLength(3);
    const remotes = await new Git(dir).run(["remote", "-v"]);
    expect(remotes).toContain(origin);
    // The run's spend, per agent and per task, from its events.jsonl: the fake claude's 2 turns
    // (model requests), 300 in + 40 out priced at claude-sonnet-4-6's $3 / $15, not its own $0.002.
    const plain = await runCli(["status", "--repo", dir]);
    expect(plain.stdout).toMatch(
      /^Cost \(1 event log\): \$0\.0015 over 2 model calls, 300 input \+ 40 output tokens; 1 attempts \(1 landed, 0 sent back and redone, 0 unlanded/m,
    );
    expect(plain.stdout).toMatch(
      /^cc +2 +340 +\$0\.0015 +1 +1 +0 +0 +\$0\.0000$/m,
    );
    expect(plain.stdout).toMatch(
      /^t01 +2 +340 +\$0\.0015 +1 +1 +0 +0 +\$0\.0000$/m,
    );
  }, 60_000);

  it("claim, locks, heartbeat and release act as git config user.name and say so", async () => {
    const claim = await runCli(["claim", "t03", "--repo", dir]);
    expect(claim.code, claim.stderr).toBe(0);
    expect(claim.stdout).toMatch(/claimed t03 as Tess-Ter/);
    expect(claim.stderr).toMatch(
      /acting as Tess-Ter \(from git config user\.name 'Tess Ter'/,
    );
    const locks = await runCli(["locks", "--repo", dir, "--json"]);
    expect(locks.code, locks.stderr).toBe(0);
    expect(JSON.parse(locks.stdout)).toContainEqual(
      expect.objectContaining({ task: "t03", agent: "Tess-Ter" }),
    );
    const beat = await runCli(["heartbeat", "t03", "--repo", dir]);
    expect(beat.code, beat.stderr).toBe(0);
    expect(beat.stdout).toMatch(/heartbeat for t03 by Tess-Ter/);
    const release = await runCli(["release", "t03", "--repo", dir]);
    expect(release.code, release.stderr).toBe(0);
    expect(release.stdout).toMatch(/released t03 as Tess-Ter/);
  }, 120_000);

  it("locks break TASK needs no --as: the breaker is git config user.name", async () => {
    const claim = await runCli(["claim", "t02", "--as", "bob", "--repo", dir]);
    expect(claim.code, claim.stderr).toBe(0);
    const broken = await runCli([
      ...["locks", "break", "t02", "--force", "--repo", dir],
    ]);
    expect(broken.code, broken.stderr).toBe(0);
    expect(broken.stdout).toMatch(/Tess-Ter broke the lock on t02 \(forced\)/);
  }, 120_000);
});

describe("with hub.url in the config", () => {
  it("status reaches that hub through a `gitswarm` remote, as run does, and leaves origin alone", async () => {
    const repo = await createSwarmRepo(makeTasks(2), "");
    temps.push(repo.root);
    const hub = path.join(repo.root, "shared-hub.git");
    await repo.git.run(["init", "--quiet", "--bare", hub]);
    await repo.git.run(["push", "--quiet", hub, "HEAD:refs/heads/main"]);
    const origin = await unrelatedOrigin(repo.dir);
    const config = path.join(repo.dir, "gitswarm.config.yaml");
    const text = await readFile(config, "utf8");
    await writeFile(config, `hub:\n  url: ${hub}\n${text}`);
    const status = await runCli(["status", "--repo", repo.dir, "--json"]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ counts: { open: 2 } });
    const remotes = await repo.git.run(["remote", "-v"]);
    expect(remotes).toMatch(new RegExp(`^gitswarm\\s+${hub}`, "m"));
    expect(remotes).toMatch(new RegExp(`^origin\\s+${origin}`, "m"));
  }, 60_000);
});
