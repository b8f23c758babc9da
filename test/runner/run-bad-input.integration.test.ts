/**
 * Issue 6, acceptance 4: `gitswarm run` refuses bad input before it touches anything — a malformed
 * config, a bad --agents, no agents at all, an unreachable hub, a dirty working tree: a clear
 * message, exit 2, and the user's repo (HEAD, files, remotes, config) and hub exactly as they were.
 */
import { access, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli-run.js";
import {
  createSwarmRepo,
  makeTasks,
  type SwarmRepo,
} from "./support/swarm-repo.js";
import { installTaskClis } from "./support/task-clis.js";

const AGENTS = "lease: 5s\nagents:\n  - name: cc\n    kind: claude-code\n";

describe("gitswarm run with bad input", () => {
  let binDir = "";
  const repos: SwarmRepo[] = [];
  // Fake CLIs first on PATH, so only the input under test is wrong.
  // A key too: the preflight checks the CLI's login, and these runs must get past it.
  const env = () => ({
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    ANTHROPIC_API_KEY: "sk-ant-test",
  });

  beforeAll(async () => {
    binDir = await installTaskClis(["claude"]);
  });
  afterAll(async () => {
    await rm(binDir, { recursive: true, force: true });
    for (const repo of repos)
      await rm(repo.root, { recursive: true, force: true });
  });

  async function repoWith(config: string): Promise<SwarmRepo> {
    const repo = await createSwarmRepo(makeTasks(3), config);
    repos.push(repo);
    return repo;
  }

  /** Everything a run could have touched in the user's repo. */
  async function snapshot(repo: SwarmRepo) {
    const hubExists = await access(
      path.join(repo.dir, ".gitswarm", "hub.git"),
    ).then(
      () => true,
      () => false,
    );
    const [head, status, remotes, refs] = await Promise.all([
      repo.git.run(["rev-parse", "HEAD"]),
      repo.git.run(["status", "--porcelain", "--untracked-files=all"]),
      repo.git.run(["remote", "-v"]),
      repo.git.run(["for-each-ref", "--format=%(refname) %(objectname)"]),
    ]);
    return { head, status, remotes, refs, hubExists };
  }

  async function expectRefused(
    repo: SwarmRepo,
    args: string[],
    message: RegExp,
    runEnv: Record<string, string> = env(),
    extendEnv = true,
  ) {
    const before = await snapshot(repo);
    const result = await runCli(
      ["run", "--repo", repo.dir, ...args],
      runEnv,
      extendEnv,
    );
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await snapshot(repo)).toEqual(before);
    expect(before.hubExists).toBe(false);
  }

  it("a malformed gitswarm.config.yaml: names the file and line", async () => {
    const repo = await repoWith(`${AGENTS}maxAttempts: [3\n`);
    await expectRefused(repo, [], /gitswarm\.config\.yaml:\d+:/);
  });

  it("a config value of the wrong type: names the file, line and key", async () => {
    const repo = await repoWith(`${AGENTS}maxAttempts: many\n`);
    await expectRefused(repo, [], /gitswarm\.config\.yaml:\d+: maxAttempts:/);
  });

  it("an unknown config key: names its line and the key meant", async () => {
    const repo = await repoWith(`${AGENTS}leese: 10m\n`);
    await expectRefused(
      repo,
      [],
      /gitswarm\.config\.yaml:5: leese: unknown key 'leese' \(did you mean 'lease'\?\)/,
    );
  });

  it("a YAML alias bomb: bad config, not an internal error", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (const [name, prev] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
    ])
      bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    const repo = await repoWith(`${AGENTS}${bomb.join("\n")}\n`);
    await expectRefused(repo, [], /aliases expand to more than 100 nodes/);
  });

  it("hub.branch that git would read as an option: names the line", async () => {
    const repo = await repoWith(`${AGENTS}hub:\n  branch: "--force"\n`);
    await expectRefused(
      repo,
      [],
      /gitswarm\.config\.yaml:6: hub\.branch: must be a branch name/,
    );
  });

  it("a lease below a second in the config: names the range", async () => {
    const repo = await repoWith(
      "lease: 0.1ms\nagents:\n  - name: cc\n    kind: claude-code\n",
    );
    await expectRefused(
      repo,
      [],
      /gitswarm\.config\.yaml:1: lease: '0\.1ms' is not a duration/,
    );
  });

  it("--agents with an unknown kind: lists the kinds", async () => {
    const repo = await repoWith(AGENTS);
    await expectRefused(
      repo,
      ["--agents", "nonsense:1"],
      /--agents: 'nonsense:1' is neither a kind nor a configured agent.*claude-code/,
    );
  });

  it("no agents configured and none on this machine: says how to get some", async () => {
    const repo = await repoWith("lease: 5s\n");
    // No API keys, and a PATH with git and node but no vendor CLI.
    const bare = {
      PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(
        path.delimiter,
      ),
      HOME: repo.root,
    };
    await expectRefused(
      repo,
      [],
      /no agents configured and none found[\s\S]*ANTHROPIC_API_KEY[\s\S]*--agents KIND:COUNT/,
      bare,
      false,
    );
  });

  it("hub.url pointing nowhere: names the hub, creates nothing there", async () => {
    const nowhere = path.join(
      path.dirname(binDir),
      `gitswarm-no-hub-${process.pid}.git`,
    );
    const repo = await repoWith(`hub:\n  url: ${nowhere}\n${AGENTS}`);
    await expectRefused(
      repo,
      [],
      new RegExp(
        `cannot reach the hub ${nowhere.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
      ),
    );
    expect(
      await access(nowhere).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
  });

  it("a dirty tracked file: names it and leaves it as it was", async () => {
    const repo = await repoWith(AGENTS);
    await writeFile(
      path.join(repo.dir, "DESIGN.md"),
      "# Design\n\nAn edit not committed yet.\n",
    );
    await expectRefused(repo, [], /uncommitted changes \(DESIGN\.md\)/);
  });
});
