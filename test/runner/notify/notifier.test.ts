/**
 * Issue 22, notifications, against a local HTTP receiver: each event reaches each target that wants
 * it exactly once; a 500 is retried and then delivered once; no secret (an API key in the
 * environment, the webhook URL itself) is in any body, in the problems reported, or in the run's
 * event log. Also the mapping from run events and the `notify:` schema.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EventLog,
  type SwarmEvent,
} from "../../../coordination/base/events.js";
import { parseConfig } from "../../../runner/config.js";
import { Notifier, raiseReviewReady } from "../../../runner/notify/index.js";
import { createNotifyMapper } from "../../../runner/notify/notify-event.js";
import { startReceiver, type Receiver } from "./receiver.js";

const KEY = "sk-ant-test-0123456789abcdef";
const FAST = { tries: 4, baseMs: 20, capMs: 100, timeoutMs: 5_000 };
const time = "2026-12-05T00:00:00.000Z";
const events: SwarmEvent[] = [
  { time, type: "done", agent: "a1", task: "t1", commit: "abc" } as SwarmEvent,
  {
    time,
    type: "blocked",
    agent: "a1",
    task: "t2",
    reason: `failed 3 times: the key ${KEY} was refused`,
  },
  { time, type: "run-end", state: "finished", tasksDone: 1, costUsd: 0.5 },
];

describe("notifications", () => {
  let receiver: Receiver;
  let dir: string;

  beforeAll(async () => {
    receiver = await startReceiver({ "/hooks/flaky-SECRETTOKEN1": [500] });
    dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-notify-"));
  });
  afterAll(async () => {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers each event once per target that wants it, retries a 500, sends no secret", async () => {
    const hook = `${receiver.url}/hooks/flaky-SECRETTOKEN1`;
    const slack = `${receiver.url}/slack/T000/B000/SECRETTOKEN2`;
    const problems: string[] = [];
    const notifier = new Notifier({
      targets: [
        {
          kind: "webhook",
          url: hook,
          events: ["task-done", "task-blocked", "run-finished"],
        },
        { kind: "slack", urlEnv: "SLACK_URL", events: ["task-blocked"] },
        {
          kind: "discord",
          url: `${receiver.url}/discord/SECRETTOKEN3`,
          events: ["run-finished"],
        },
        {
          kind: "ntfy",
          url: `${receiver.url}/ntfy-topic-SECRET4`,
          events: ["task-done"],
        },
        {
          kind: "command",
          command: `cat >> ${dir}/got.jsonl`,
          events: ["task-blocked"],
        },
      ],
      env: { ANTHROPIC_API_KEY: KEY, SLACK_URL: slack, PATH: process.env.PATH },
      cwd: dir,
      retry: FAST,
      onProblem: (message) => problems.push(message),
    });
    for (const event of events) notifier.onEvent(event);
    await notifier.flush();

    const ok = receiver.received.filter((r) => r.status === 200);
    const webhook = ok.filter((r) => r.path.startsWith("/hooks/"));
    expect(
      webhook.map((r) => (JSON.parse(r.body) as { event: string }).event),
    ).toEqual(["task-done", "task-blocked", "run-finished"]);
    // The first try got the 500: exactly one failed request, then one success per event.
    expect(receiver.received.filter((r) => r.status === 500)).toHaveLength(1);
    const slackGot = ok.filter((r) => r.path.startsWith("/slack/"));
    expect(slackGot.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { text: expect.stringContaining("task t2 is blocked") },
    ]);
    const discordGot = ok.filter((r) => r.path.startsWith("/discord/"));
    expect(discordGot.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { content: expect.stringContaining("the run ended (finished)") },
    ]);
    const ntfy = ok.filter((r) => r.path.startsWith("/ntfy"));
    expect(ntfy).toHaveLength(1);
    expect(ntfy[0]?.headers.title).toBe("gitswarm task-done");
    const command = (await readFile(path.join(dir, "got.jsonl"), "utf8"))
      .trim()
      .split("\n");
    expect(
      command.map((l) => (JSON.parse(l) as { task: string }).task),
    ).toEqual(["t2"]);

    const sent = [...receiver.received.map((r) => r.body), ...command].join(
      "\n",
    );
    expect(sent).toContain("[redacted");
    for (const secret of [KEY, "SECRETTOKEN", "SECRET4", receiver.url])
      expect(sent).not.toContain(secret);
    expect(problems).toEqual([]);
  });

  it("reports a target that stays down by its label, never its URL, and does not block", async () => {
    const problems: string[] = [];
    // Port 9 (discard) on loopback: nothing listens, every try is a refused connection.
    const notifier = new Notifier({
      targets: [
        {
          kind: "webhook",
          name: "ops hook",
          url: "http://127.0.0.1:9/SECRETTOKEN6",
          events: ["run-failed"],
        },
      ],
      env: {},
      cwd: dir,
      retry: { ...FAST, tries: 2 },
      onProblem: (message) => problems.push(message),
    });
    notifier.onEvent({
      time,
      type: "run-end",
      state: "failed",
      tasksDone: 0,
      costUsd: 0,
    });
    // Delivery is in the background: onEvent returned before the (failing) send was even tried.
    expect(problems).toHaveLength(0);
    await notifier.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^notify ops hook: run-failed not delivered after 2 tries \(network error/,
    );
    expect(problems[0]).not.toMatch(/SECRETTOKEN|127\.0\.0\.1/);
  });

  it("redacts the target URLs from the run's event log", async () => {
    const log = new EventLog(path.join(dir, "run"));
    const url = `${receiver.url}/hooks/SECRETTOKEN7`;
    log.redactAlso([url]);
    log.emit({ type: "error", message: `could not post to ${url}` });
    const text = await readFile(log.file, "utf8");
    expect(text).not.toContain("SECRETTOKEN7");
    expect(text).toContain("[redacted");
  });

  it("raises review-ready for the targets that want it", async () => {
    const notifier = new Notifier({
      targets: [
        {
          kind: "webhook",
          url: `${receiver.url}/review`,
          events: ["review-ready"],
        },
      ],
      env: {},
      cwd: dir,
      retry: FAST,
    });
    raiseReviewReady(notifier, {
      task: "t9",
      detail: "the diff is on swarm/t9",
    });
    await notifier.flush();
    const got = receiver.received.filter((r) => r.path === "/review");
    expect(
      got.map((r) => JSON.parse(r.body) as { event: string; task: string }),
    ).toMatchObject([{ event: "review-ready", task: "t9" }]);
  });
});

describe("the notify mapping and schema", () => {
  it("raises budget-80 once, when 80% of the budget is spent", () => {
    const map = createNotifyMapper({ budgetUsd: 10 });
    const call = (costUsd: number) =>
      map({ time, type: "model-call", costUsd } as unknown as SwarmEvent).map(
        (n) => n.event,
      );
    expect(call(7.9)).toEqual([]);
    expect(call(0.2)).toEqual(["budget-80"]);
    expect(call(1)).toEqual([]);
  });

  it("names a run that failed run-failed, any other end run-finished", () => {
    const map = createNotifyMapper({});
    const end = (state: string) =>
      map({
        time,
        type: "run-end",
        state,
        tasksDone: 0,
        costUsd: 0,
      } as SwarmEvent)[0]?.event;
    expect(end("failed")).toBe("run-failed");
    expect(end("stopped")).toBe("run-finished");
  });

  it("refuses a target without its URL or command, and an unknown event", () => {
    expect(() => parseConfig("notify:\n  - kind: slack\n")).toThrow(
      /exactly one of 'url' or 'urlEnv'/,
    );
    expect(() => parseConfig("notify:\n  - kind: command\n")).toThrow(
      /needs 'command/,
    );
    expect(() =>
      parseConfig(
        "notify:\n  - kind: ntfy\n    url: https://ntfy.example/t\n    events: [task-exploded]\n",
      ),
    ).toThrow(/notify/);
    expect(
      parseConfig("notify:\n  - kind: ntfy\n    urlEnv: NTFY_URL\n").notify[0]
        ?.events,
    ).toContain("task-blocked");
  });
});
