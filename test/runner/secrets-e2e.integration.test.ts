/**
 * Issue 11, acceptance: a whole `gitswarm run` where a `command` agent plants programs in its
 * clone (fsmonitor, hooks, a clean filter with its `.gitattributes` line, ssh, pack programs,
 * helpers, gpg, drivers) on every task, next to an openai-kind agent whose key is configured as
 * `apiKeyEnv: DEEPSEEK_KEY`; then the CLI protocol commands (`claim`, `heartbeat`,
 * `release --done`) in that planted clone. Nothing planted ever sees a key, the command agent's
 * process sees none, the model call does get its own, and no key value reaches the hub's history
 * or the event log.
 */
import {
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Git } from "../../coordination/git/git.js";
import { openai } from "../agents/fixtures/vendors.js";
import {
  findSecrets,
  readLeaks,
  writeSpy,
  type Spy,
} from "../support/planted-vectors.js";
import {
  killEverything,
  runCli,
  startRun,
  type RunningSwarm,
} from "./support/cli-run.js";
import { createSwarmRepo, type SwarmRepo } from "./support/swarm-repo.js";
import { startTaskModel, type TaskModel } from "./support/task-model.js";

const SECRETS = {
  ANTHROPIC_API_KEY: "sk-ant-e2e-secret-0123456789",
  DEEPSEEK_KEY: "sk-deepseek-e2e-secret-0123456789",
  FOO_TOKEN: "foo-token-e2e-secret-0123456789",
};

describe("gitswarm run with an agent that plants programs in its clone", () => {
  let root = "";
  let spy: Spy;
  let model: TaskModel;
  let repo: SwarmRepo;
  let run: RunningSwarm | undefined;
  let env: Record<string, string> = {};

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-secrets-e2e-"));
    spy = await writeSpy(root);
    const work = path.join(root, "agent.sh");
    await writeFile(
      work,
      [
        "#!/bin/sh",
        `sh "${spy.plant}" || exit 1`,
        "mkdir -p impl",
        `printf 'impl %s\\n' "$GITSWARM_TASK_ID" > "impl/$GITSWARM_TASK_ID.txt"`,
        'echo "wrote impl/$GITSWARM_TASK_ID.txt"',
        "",
      ].join("\n"),
    );
    model = await startTaskModel(openai);
    const tasks = [
      { id: "t01", needs: [] },
      { id: "t02", needs: [] },
      { id: "t03", needs: [] },
      { id: "t04", needs: [] },
    ];
    repo = await createSwarmRepo(
      tasks,
      [
        "lease: 30s",
        "maxAttempts: 2",
        // The planted programs and the spy's leak dir live outside the clone.
        "sandbox:",
        `  readWrite: [${root}]`,
        "agents:",
        "  - name: planter",
        "    kind: command",
        `    command: sh ${work}`,
        "    capabilities: [plant]",
        "  - name: deepseek",
        "    kind: openai",
        `    model: ${openai.model}`,
        `    baseUrl: ${openai.baseUrl(model.server.url)}`,
        "    apiKeyEnv: DEEPSEEK_KEY",
        "    capabilities: [model]",
        "    maxTurns: 6",
        "    timeout: 2m",
        "",
      ].join("\n"),
    );
    // t01 and t02 only the planter can take, t03 only the model agent; t04 nobody (it needs both):
    // it is left for the CLI commands below.
    const progress = path.join(repo.dir, "PROGRESS.md");
    const tagged = (await readFile(progress, "utf8"))
      .replace(/(- \[ \] t0[12]:.*\n)/g, "$1  - tags: plant\n")
      .replace(/(- \[ \] t03:.*\n)/, "$1  - tags: model\n")
      .replace(/(- \[ \] t04:.*\n)/, "$1  - tags: plant, model\n");
    await writeFile(progress, tagged);
    await repo.git.run(["commit", "--quiet", "-am", "route the tasks"]);
    env = { PATH: process.env.PATH ?? "/usr/bin:/bin", ...SECRETS };
    run = startRun(repo.dir, env, ["--max-tasks", "3"]);
    await run.done;
  }, 240_000);

  afterAll(async () => {
    await killEverything(run, repo.dir);
    await model.server.close();
    await rm(repo.root, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });
  });

  it("lands the planter's and the model agent's tasks", () => {
    const done = run?.events.filter((e) => e.type === "done") ?? [];
    expect(
      done.map((e) => `${String(e.task)}:${String(e.agent)}`).sort(),
      JSON.stringify(run?.events.filter((e) => e.type === "error")),
    ).toEqual(["t01:planter", "t02:planter", "t03:deepseek"]);
  });

  it("runs none of the planted programs, and the command's own process had no key", async () => {
    const leaks = await readLeaks(spy.leakDir);
    expect(leaks.length).toBeGreaterThanOrEqual(2);
    expect([...new Set(leaks.map((l) => l.file.split(".")[0]))]).toEqual([
      "command",
    ]);
    expect(findSecrets(leaks, SECRETS)).toEqual([]);
    for (const { text } of leaks)
      for (const name of Object.keys(SECRETS)) expect(text).not.toContain(name);
  });

  it("gave the model call its own key (and only there)", () => {
    const auth = model.server.requests
      .filter((r) => r.method === "POST")
      .map((r) => r.headers.authorization);
    expect(auth.length).toBeGreaterThan(0);
    for (const header of auth)
      expect(header).toBe(`Bearer ${SECRETS.DEEPSEEK_KEY}`);
  });

  it("keeps a planted clone safe through the CLI: claim, heartbeat, release --done", async () => {
    const clone = path.join(repo.dir, ".gitswarm", "workspaces", "planter");
    const git = new Git(clone, { name: "planter", email: "planter@x.invalid" });
    await git
      .run(["checkout", "--quiet", "-B", "cli-work", "gitswarm/main"])
      .catch(async () => git.run(["checkout", "--quiet", "-B", "cli-work"]));
    const cli = (args: string[]) =>
      runCli([...args, "--as", "planter", "--repo", clone], env);
    const claim = await cli(["claim", "t04"]);
    expect(claim.code, claim.stderr).toBe(0);
    await mkdir(path.join(clone, "impl"), { recursive: true });
    await writeFile(path.join(clone, "impl", "t04.txt"), "impl t04\n");
    await writeFile(path.join(clone, "notes.txt"), "more work\n");
    const beat = await cli(["heartbeat", "t04"]);
    expect(beat.code, beat.stderr).toBe(0);
    await git.run(["add", "--all"]);
    await git.run(["commit", "--quiet", "-m", "t04 work"]);
    const release = await cli(["release", "t04", "--done"]);
    expect(release.code, release.stderr).toBe(0);
    const leaks = await readLeaks(spy.leakDir);
    expect([...new Set(leaks.map((l) => l.file.split(".")[0]))]).toEqual([
      "command",
    ]);
    expect(findSecrets(leaks, SECRETS)).toEqual([]);
  }, 120_000);

  it("leaves no key value in the hub's history or the event log", async () => {
    const hub = new Git(path.join(repo.dir, ".gitswarm", "hub.git"));
    const history = await hub.run(["log", "--all", "-p", "--format=%H%n%B"]);
    expect(history).toContain("impl t01");
    const runsDir = path.join(repo.dir, ".gitswarm", "runs");
    const texts = [{ file: "hub history", text: history }];
    for (const id of await readdir(runsDir))
      texts.push({
        file: `events ${id}`,
        text: await readFile(path.join(runsDir, id, "events.jsonl"), "utf8"),
      });
    expect(texts.length).toBeGreaterThan(1);
    expect(findSecrets(texts, SECRETS)).toEqual([]);
  });
});
