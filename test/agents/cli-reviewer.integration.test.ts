/**
 * The vendor CLIs as reviewers (issue 21): the real claude, codex and gemini (pinned
 * devDependencies) run once in their read-only mode against a local server speaking their vendor's
 * streaming protocol, which answers with a scripted verdict as the CLI's final text. The verdict is
 * parsed as the API reviewers' is; the CLI is offered no writing tool (codex: its read-only
 * sandbox), its run is priced and reported as a model call. codex also reviews inside the agents'
 * bubblewrap sandbox (model network only), as a run confines it. Also which specs a run offers as
 * reviewers: API agents and the CLIs with a read-only mode, not aider.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultSpec } from "../../agents/index.js";
import { setAgentSandbox } from "../../coordination/base/sandbox/confine.js";
import { probeSandbox } from "../../coordination/base/sandbox/detect-sandbox.js";
import { createCliReviewer } from "../../agents/review/cli-reviewer.js";
import type { AgentEvent } from "../../agents/types.js";
import { reviewerSpecs } from "../../runner/gates/reviewer-specs.js";
import type { RosterEntry } from "../../runner/swarm/agent-roster.js";
import {
  startCliVendor,
  type CliVendor,
  type CliVendorServer,
} from "./fixtures/cli-vendor-streams.js";
import { makeCliHome, probeCli, REAL_CLIS } from "./fixtures/real-clis.js";

const KEY = "sk-review-0123456789abcdef";
const FINDING = {
  file: "greeting.txt",
  line: 1,
  severity: "major",
  text: "Say hello in French, as the task asks: 'bonjour'.",
};
const VERDICTS = {
  approve: { verdict: "approve", summary: "does what it says", findings: [] },
  "request-changes": {
    verdict: "request-changes",
    summary: "wrong language",
    findings: [FINDING],
  },
} as const;

/** Each CLI and the verdicts its server scripts (together: both verdicts, claude both). */
const CASES: [CliVendor, keyof typeof VERDICTS][] = [
  ["claude-code", "request-changes"],
  ["claude-code", "approve"],
  ["codex", "approve"],
  ["gemini-cli", "request-changes"],
];

/** What in the CLI's first request shows it could not write. */
const READ_ONLY: Record<CliVendor, (raw: string) => boolean> = {
  "claude-code": (raw) => !/"name":"(Write|Edit|Bash)"/.test(raw),
  codex: (raw) => raw.includes("read-only"),
  "gemini-cli": (raw) =>
    !/"name":"(write_file|replace|run_shell_command)"/.test(raw),
};

const probes = Object.fromEntries(
  await Promise.all(
    [...new Set(CASES.map(([v]) => v))].map(
      async (v) => [v, await probeCli(v)] as const,
    ),
  ),
) as Record<CliVendor, Awaited<ReturnType<typeof probeCli>>>;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

async function reviewWith(
  vendor: CliVendor,
  verdict: keyof typeof VERDICTS,
  // claude answers at once when it is offered no Write tool; the others need telling.
  answerOnly = vendor !== "claude-code",
) {
  const cli = REAL_CLIS[vendor];
  const server: CliVendorServer = await startCliVendor(vendor, {
    file: "greeting.txt",
    content: "overwritten by the reviewer\n",
    final: `Here is my review:\n${JSON.stringify(VERDICTS[verdict])}`,
    answerOnly,
  });
  cleanups.push(() => server.close());
  const home = await makeCliHome();
  cleanups.push(home.cleanup);
  const clone = await mkdtemp(path.join(os.tmpdir(), "gitswarm-cli-review-"));
  cleanups.push(() => rm(clone, { recursive: true, force: true }));
  const spec = defaultSpec(vendor, `${vendor}-rev`, {
    model: cli.model,
    baseUrl: server.url,
    timeout: "110s",
  });
  const events: AgentEvent[] = [];
  const reviewer = createCliReviewer(spec, {
    env: { ...home.env, [cli.keyEnv]: KEY },
  });
  const outcome = await reviewer.review({
    task: { id: "t1", title: "Greet in French", notes: [] },
    author: "a",
    attempt: 1,
    diff: "+hello\n",
    files: ["greeting.txt"],
    oracle: "no oracle configured",
    workspaceDir: clone,
    signal: new AbortController().signal,
    onEvent: (event) => events.push(event),
  });
  return { outcome, server, events, clone };
}

describe.each(CASES)(
  "the real %s CLI as a reviewer (%s)",
  (vendor, verdict) => {
    const probe = probes[vendor];
    const skip = probe.ok ? false : probe.reason;
    if (skip) console.warn(`skipping ${vendor}: ${skip}`);

    it.skipIf(skip)(
      "reviews read-only and its verdict is parsed, priced as a model call",
      async () => {
        const { outcome, server, events, clone } = await reviewWith(
          vendor,
          verdict,
        );
        expect(outcome, JSON.stringify(outcome)).toMatchObject({
          kind: "verdict",
          ...VERDICTS[verdict],
        });
        // The review prompt reached the model, and the CLI could not change the clone.
        const first = server.requests[0]?.raw ?? "";
        expect(first).toContain("Greet in French");
        expect(READ_ONLY[vendor](first)).toBe(true);
        expect(await readdir(clone)).toEqual([]);
        expect(outcome.usage.costUsd).toBeGreaterThan(0);
        expect(events.find((e) => e.type === "model-call")).toMatchObject({
          agent: `${vendor}-rev`,
          provider: vendor,
        });
      },
      120_000,
    );
  },
);

const sandbox = await probeSandbox(
  { network: "model", readOnly: [], readWrite: [] },
  process.env,
);
const sandboxSkip = !sandbox.ok
  ? `no sandbox on this host: ${sandbox.reason}`
  : probes.codex.ok
    ? false
    : probes.codex.reason;
if (sandboxSkip) console.warn(`codex in the sandbox: skipped, ${sandboxSkip}`);

describe.skipIf(sandboxSkip !== false)(
  "codex as a reviewer in the sandbox",
  () => {
    afterEach(() => setAgentSandbox(undefined));

    it("reviews confined (its nested sandbox skipped, the model reached through the bridge): its write is refused, its verdict parsed", async () => {
      setAgentSandbox(sandbox.ok ? sandbox.plan : undefined);
      // The server first has codex try to overwrite a file in the clone: a review changes nothing.
      const { outcome, server, clone } = await reviewWith(
        "codex",
        "request-changes",
        false,
      );
      expect(outcome, JSON.stringify(outcome)).toMatchObject({
        kind: "verdict",
        ...VERDICTS["request-changes"],
      });
      expect(READ_ONLY.codex(server.requests[0]?.raw ?? "")).toBe(true);
      // Its commands run: a reviewer reads the clone with its shell. Today codex's own read-only
      // bubblewrap, nested in ours, fails every command ('bwrap: setting up uid map').
      const output = server.requests[1]?.raw ?? "";
      expect(output).toContain("function_call_output");
      expect(output).not.toContain("setting up uid map");
      expect(await readdir(clone)).toEqual([]);
    }, 120_000);
  },
);

describe("the reviewers a run offers", () => {
  it("are the API agents and the CLIs with a read-only mode, not aider or command agents", () => {
    const roster = (
      [
        ["c", "claude-code"],
        ["x", "codex"],
        ["g", "gemini-cli"],
        ["o", "openai"],
        ["ai", "aider"],
      ] as const
    ).map(([name, kind]) => ({ spec: defaultSpec(kind, name) }) as RosterEntry);
    expect(reviewerSpecs(roster).map((s) => s.name)).toEqual([
      "c",
      "x",
      "g",
      "o",
    ]);
  });
});
