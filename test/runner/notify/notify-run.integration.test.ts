/**
 * Issue 22, notifications end to end: a real `gitswarm run` of command agents with a `notify:`
 * webhook (its URL in an environment variable) and a Slack target (its URL in the config file)
 * posting to a local receiver: each task-done and the run-finished arrive exactly once, the first
 * post is answered 500 and retried, and neither URL is in any body or in the run's event log.
 * `gitswarm notify test` reaches every target and prints labels, never URLs.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli-run.js";
import {
  createCommandSwarm,
  readLatestRunEvents,
  type CommandSwarm,
} from "../support/command-swarm.js";
import { startReceiver, type Receiver } from "./receiver.js";

describe("notify: in a real run", () => {
  let swarm: CommandSwarm;
  let receiver: Receiver;
  const hookPath = "/hooks/run-SECRETTOKEN-A";
  const slackPath = "/slack/SECRETTOKEN-B";

  beforeAll(async () => {
    receiver = await startReceiver({ [hookPath]: [500] });
    swarm = await createCommandSwarm({
      taskCount: 2,
      agents: 1,
      config: [
        "notify:",
        "  - kind: webhook",
        "    urlEnv: TEAM_HOOK",
        "    events: [task-done, run-finished, run-failed]",
        "  - kind: slack",
        "    name: team slack",
        `    url: ${receiver.url}${slackPath}`,
        "    events: [run-finished]",
        "",
      ].join("\n"),
    });
  }, 60_000);

  afterAll(async () => {
    await receiver.close();
    await rm(swarm.root, { recursive: true, force: true });
    await rm(swarm.scriptDir, { recursive: true, force: true });
  });

  it("each event arrives once, retried after a 500, with no secret in the bodies or the log", async () => {
    const env = { TEAM_HOOK: `${receiver.url}${hookPath}` };
    const run = await runCli(["run", "--repo", swarm.dir, "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    const ok = receiver.received.filter((r) => r.status === 200);
    const hook = ok
      .filter((r) => r.path === hookPath)
      .map((r) => JSON.parse(r.body) as { event: string; task?: string });
    expect(hook.map((n) => `${n.event}:${n.task ?? ""}`).sort()).toEqual([
      "run-finished:",
      "task-done:t01",
      "task-done:t02",
    ]);
    expect(
      receiver.received.filter((r) => r.path === hookPath && r.status === 500),
    ).toHaveLength(1);
    expect(ok.filter((r) => r.path === slackPath)).toHaveLength(1);
    const log = JSON.stringify(await readLatestRunEvents(swarm.dir));
    expect(log).toContain('"type":"run-end"');
    for (const text of [
      log,
      run.stdout,
      run.stderr,
      ...receiver.received.map((r) => r.body),
    ])
      expect(text).not.toContain("SECRETTOKEN");
  }, 240_000);

  it("gitswarm notify test reaches every target and names them by label", async () => {
    const before = receiver.received.length;
    const result = await runCli(["notify", "test", "--repo", swarm.dir], {
      TEAM_HOOK: `${receiver.url}${hookPath}`,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok {3}webhook #1 \(1 try\)$/m);
    expect(result.stdout).toMatch(/^ok {3}team slack \(1 try\)$/m);
    expect(result.stdout + result.stderr).not.toContain("SECRETTOKEN");
    expect(receiver.received.length - before).toBe(2);
    // Without the variable, the webhook target fails, by name, and the exit code says so.
    const missing = await runCli(["notify", "test", "--repo", swarm.dir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/FAIL webhook #1: TEAM_HOOK is not set/);
  }, 120_000);
});
