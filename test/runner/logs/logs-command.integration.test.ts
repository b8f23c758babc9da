/**
 * Issue 22: a whole `gitswarm run` with a command agent that fails one task loudly; its log holds
 * the failure's full output (not only the last lines the attempt's reason keeps), its prompt, and
 * `gitswarm logs` prints it, whole or for one task, with the key redacted.
 */
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  killEverything,
  runCli,
  startRun,
  type RunningSwarm,
} from "../support/cli-run.js";
import {
  createSwarmRepo,
  ORACLE_CONFIG,
  type SwarmRepo,
} from "../support/swarm-repo.js";

const KEY = "sk-logs-e2e-secret-0123456789";

describe("gitswarm logs on a run with a failing agent", () => {
  let repo: SwarmRepo;
  let run: RunningSwarm | undefined;

  beforeAll(async () => {
    repo = await createSwarmRepo(
      [
        { id: "t01", needs: [] },
        { id: "t02", needs: [] },
      ],
      "",
    );
    const script = path.join(repo.root, "agent.sh");
    await writeFile(
      script,
      [
        "#!/bin/sh",
        'if [ "$GITSWARM_TASK_ID" = t02 ]; then',
        // Forty lines: the attempt's reason keeps the last few, the log must keep them all.
        '  for i in $(seq 1 40); do echo "t02 failure line $i" >&2; done',
        `  echo "leaking ${KEY}" >&2`,
        "  exit 3",
        "fi",
        "mkdir -p impl",
        `printf 'impl %s\\n' "$GITSWARM_TASK_ID" > "impl/$GITSWARM_TASK_ID.txt"`,
        'echo "wrote impl/$GITSWARM_TASK_ID.txt"',
        "",
      ].join("\n"),
    );
    await writeFile(
      path.join(repo.dir, "gitswarm.config.yaml"),
      [
        "lease: 30s",
        "maxAttempts: 1",
        // The agent's script and its flag file live outside its clone: lend them.
        "sandbox:",
        `  readWrite: [${repo.root}]`,
        "agents:",
        "  - name: worker",
        "    kind: command",
        `    command: sh ${script}`,
        // Passed on purpose: the runner's log must redact it even so.
        "    passEnv: [LOGS_E2E_API_KEY]",
        ORACLE_CONFIG,
      ].join("\n"),
    );
    await repo.git.run(["commit", "--quiet", "-am", "one worker"]);
    run = startRun(repo.dir, {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      LOGS_E2E_API_KEY: KEY,
    });
    await run.done;
  }, 180_000);

  afterAll(async () => {
    await killEverything(run, repo.dir);
    await rm(repo.root, { recursive: true, force: true });
  });

  it("prints the failure's full output, the prompt and the exit, without the key", async () => {
    const result = await runCli(["logs", "worker", "--repo", repo.dir]);
    expect(result.code, result.stderr).toBe(0);
    for (let i = 1; i <= 40; i += 1)
      expect(result.stdout).toContain(`[t02] stderr: t02 failure line ${i}\n`);
    expect(result.stdout).toContain("[t02] prompt:");
    expect(result.stdout).toMatch(/\[t02\] exit: command: exited with code 3/);
    expect(result.stdout).toContain("[t01] stdout: wrote impl/t01.txt");
    expect(result.stdout).toContain("leaking ");
    expect(result.stdout).not.toContain(KEY);
  });

  it("prints one task's lines with --task, and names the agents it knows", async () => {
    const t01 = await runCli([
      "logs",
      "worker",
      "--task",
      "t01",
      "--repo",
      repo.dir,
    ]);
    expect(t01.stdout).toContain("wrote impl/t01.txt");
    expect(t01.stdout).not.toContain("t02 failure");
    const unknown = await runCli(["logs", "nobody", "--repo", repo.dir]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("agents with logs: worker");
  });

  it("ends --follow when the run has ended", async () => {
    const followed = await runCli([
      "logs",
      "worker",
      "--follow",
      "--repo",
      repo.dir,
    ]);
    expect(followed.code).toBe(0);
    expect(followed.stdout).toContain("t02 failure line 40");
  });
});
