/**
 * Issue 20, acceptance: a whole `gitswarm run` whose `command` agents and oracle candidate are
 * hostile (test/support/hostile-probe.ts), next to an openai-kind agent holding its own key. From
 * inside the sandbox they must reach no key (walking /proc from their pid), no other process, no
 * other clone, not the hub, not ~/.ssh of a temp HOME holding a fake key, not a local listener;
 * their `.gitattributes` driver lines never reach main. They still do their tasks: edit the clone,
 * run node and git, land through the oracle gate. Meanwhile the test reads /proc/<pid>/environ of
 * every process on the machine: the runner's and the agent processes' hold no key value.
 */
import { createServer, type Server } from "node:net";
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
import { MERGE_ATTRIBUTES } from "../../coordination/git/guard/merge-driver-setup.js";
import { agentIdentity } from "../../coordination/git/workspace.js";
import { probeSandbox } from "../../coordination/base/sandbox/detect-sandbox.js";
import { openai } from "../agents/fixtures/vendors.js";
import {
  PROBE_SCRIPT,
  readProbeReports,
  type ProbeReport,
} from "../support/hostile-probe.js";
import {
  killEverything,
  startRun,
  type RunningSwarm,
} from "./support/cli-run.js";
import {
  implText,
  startTaskModel,
  type TaskModel,
} from "./support/task-model.js";

const SECRETS = {
  OPENAI_API_KEY: "sk-openai-sandbox-secret-0123456789",
  DEEPSEEK_KEY: "sk-deepseek-sandbox-secret-0123456789",
};
const FAKE_SSH_KEY = "-----BEGIN FAKE PRIVATE KEY-----\nsandbox-test\n";

const probe = await probeSandbox({
  network: "off",
  readOnly: [],
  readWrite: [],
});
const skip = probe.ok ? false : `no sandbox on this host: ${probe.reason}`;
if (skip) console.warn(`sandbox-hostile: skipped, ${skip}`);

describe.skipIf(skip !== false)(
  "a hostile command agent and oracle candidate in the sandbox",
  () => {
    let root = "";
    let repoDir = "";
    let reportDir = "";
    let listener: Server;
    const connections: string[] = [];
    let model: TaskModel;
    let run: RunningSwarm | undefined;
    let reports: ProbeReport[] = [];
    /** What the test saw in /proc/<pid>/environ of every process while the agents worked. */
    const environHits: string[] = [];
    let environScans = 0;

    beforeAll(async () => {
      root = await mkdtemp(path.join(os.tmpdir(), "gitswarm-sandbox-"));
      reportDir = path.join(root, "reports");
      await mkdir(reportDir);
      const home = path.join(root, "home");
      await mkdir(path.join(home, ".ssh"), { recursive: true });
      await writeFile(path.join(home, ".ssh", "id_ed25519"), FAKE_SSH_KEY);
      listener = createServer((socket) => {
        socket.on("data", (data) => connections.push(String(data)));
        socket.on("error", () => undefined);
      });
      await new Promise<void>((resolve) =>
        listener.listen(0, "127.0.0.1", resolve),
      );
      const port = (listener.address() as { port: number }).port;
      model = await startTaskModel(openai);
      repoDir = await writeRepo(root, port, reportDir, model.server.url);
      run = startRun(
        repoDir,
        {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          ...SECRETS,
        },
        ["--max-tasks", "3"],
      );
      let ended = false;
      run.done.then(
        () => (ended = true),
        () => (ended = true),
      );
      await run.waitFor((e) => e.type === "claim", 120_000, "a first claim");
      // Polled (not slept on): each pass reads every /proc/<pid>/environ while the agents work.
      while (!ended) {
        environHits.push(...(await scanEnvirons(Object.values(SECRETS))));
        environScans += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      reports = await readProbeReports(reportDir);
    }, 280_000);

    afterAll(async () => {
      await killEverything(run, repoDir);
      await model?.server.close();
      listener?.close();
      await rm(root, { recursive: true, force: true });
    });

    it("still does the tasks: edits the clone, runs node and git, lands through the gate", () => {
      const done = run?.events.filter((e) => e.type === "done") ?? [];
      expect(
        done.map((e) => String(e.task)).sort(),
        JSON.stringify(
          run?.events.filter(
            (e) => e.type === "error" || e.type === "attempt-failed",
          ),
        ),
      ).toEqual(["t01", "t02", "t03"]);
      const agents = reports.filter((r) => r.role === "agent");
      expect(agents.length).toBeGreaterThanOrEqual(2);
      for (const r of agents) {
        expect(r.tools?.node).toBe("42");
        expect(r.tools?.git).toContain(`impl/${r.id}.txt`);
      }
      expect(
        reports.filter((r) => r.role === "candidate").length,
      ).toBeGreaterThan(0);
    });

    it("reaches no key by walking /proc from its own pid, and sees no other process", () => {
      for (const r of reports) {
        expect(r.keysSeen, r.role).toEqual([]);
        for (const step of r.chain)
          expect(step.keys).not.toEqual(
            expect.arrayContaining(["DEEPSEEK_KEY"]),
          );
        // Its own PID namespace: the sandbox's init, the shell, itself and its children; no runner,
        // no agent process, no vitest.
        expect(r.processes.length, JSON.stringify(r.processes)).toBeLessThan(8);
        const cmds = r.processes.map((p) => p.cmd).join("\n");
        expect(cmds).not.toMatch(/agent-process|bin\/gitswarm|vitest/);
        expect(r.chain.at(-1)?.pid).toBeLessThan(8);
      }
    });

    it("leaves no key in /proc/<pid>/environ of the runner or any agent process", () => {
      expect(environScans).toBeGreaterThan(0);
      expect(environHits).toEqual([]);
    });

    it("cannot read another clone, write the hub, read ~/.ssh, see the user's repository or reach the network", async () => {
      for (const r of reports) {
        for (const listing of Object.values(r.otherClones))
          expect(listing).toMatch(/^error ENOENT/);
        expect(r.sshKey).toMatch(/^error ENOENT/);
        expect(r.network).toMatch(/^error /);
        expect(r.userRepo).not.toEqual(expect.arrayContaining(["PROGRESS.md"]));
      }
      expect(connections).toEqual([]);
      const hub = new Git(path.join(repoDir, ".gitswarm", "hub.git"));
      expect(
        await hub.run(["for-each-ref", "--format=%(refname)"]),
      ).not.toContain("HACKED");
      const heads = await readdir(
        path.join(repoDir, ".gitswarm", "hub.git", "refs", "heads"),
      );
      expect(heads.filter((h) => h.startsWith("HACKED"))).toEqual([]);
    });

    it("never lands a .gitattributes line that changes PROGRESS.md's merge driver", async () => {
      const hub = new Git(path.join(repoDir, ".gitswarm", "hub.git"));
      const attributes = await hub.run(["show", "main:.gitattributes"]);
      expect(attributes).not.toContain("evil");
      expect(attributes).toContain("PROGRESS.md merge=gitswarm-progress");
      const log = await hub.run(["log", "main", "--format=%B"]);
      expect(log).toContain("gitswarm stripped these .gitattributes lines");
      // Every clone pins our driver in info/attributes, whatever a tree says.
      const clone = new Git(
        path.join(repoDir, ".gitswarm", "workspaces", "hostile-1"),
      );
      const attr = await clone.run([
        "check-attr",
        "merge",
        "--",
        "PROGRESS.md",
      ]);
      expect(attr.trim()).toBe("PROGRESS.md: merge: gitswarm-progress");
    });
  },
);

/** The user's repository: three tasks, the probe committed, an oracle whose candidate is the probe. */
async function writeRepo(
  root: string,
  port: number,
  reportDir: string,
  modelUrl: string,
): Promise<string> {
  const dir = path.join(root, "repo");
  const probeLine = (role: string, which: string) =>
    `node probe.mjs ${role} ${reportDir} ${port} ${which}`;
  const config = [
    "lease: 30s",
    "maxAttempts: 2",
    "sandbox:",
    `  readWrite: [${reportDir}]`,
    "agents:",
    "  - name: hostile",
    "    kind: command",
    "    count: 2",
    `    command: '${probeLine("agent", '"$GITSWARM_TASK_ID"')}'`,
    "    capabilities: [probe]",
    "  - name: deepseek",
    "    kind: openai",
    `    model: ${openai.model}`,
    `    baseUrl: ${openai.baseUrl(modelUrl)}`,
    "    apiKeyEnv: DEEPSEEK_KEY",
    "    capabilities: [model]",
    "    maxTurns: 6",
    "    timeout: 2m",
    "oracle:",
    "  cases: cases/*.case",
    `  candidate: ${probeLine("candidate", "{case}")}`,
    '  candidateInputs: ["impl/*.txt"]',
    "  compare: exact",
    "  timeout: 30s",
    "",
  ].join("\n");
  const task = (id: string, tag: string) =>
    `- [ ] ${id}: Implement ${id}\n  - tags: ${tag}\n  - cases: cases/${id}.case\n`;
  const files: Record<string, string> = {
    "PROGRESS.md": `# Progress\n\n## Tasks\n\n${task("t01", "probe")}${task("t02", "probe")}${task("t03", "model")}`,
    "gitswarm.config.yaml": config,
    "probe.mjs": PROBE_SCRIPT,
    ".gitignore": ".gitswarm/\n",
    ".gitattributes": `${MERGE_ATTRIBUTES.join("\n")}\n`,
    "oracle/baseline.json": `${JSON.stringify({ version: 1, passing: [] }, null, 2)}\n`,
  };
  for (const id of ["t01", "t02", "t03"]) {
    files[`cases/${id}.case`] = `${id}\n`;
    files[`cases/${id}.case.expected`] = implText(id);
  }
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  const git = new Git(dir, agentIdentity("tester"));
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  await git.run(["config", "user.name", "Tess Ter"]);
  await git.run(["config", "user.email", "tess@example.com"]);
  await git.run(["add", "--all"]);
  await git.run(["commit", "--quiet", "-m", "seed: tasks, probe and oracle"]);
  return dir;
}

/** Every process's environ on this machine that holds one of `values`: "pid cmdline". */
async function scanEnvirons(values: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(
      () => "",
    );
    if (!values.some((value) => environ.includes(value))) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(
      () => "?",
    );
    hits.push(`${entry} ${cmd.split("\0").join(" ").slice(0, 200)}`);
  }
  return hits;
}
