/**
 * `gitswarm coalesce --dry-run --json` on a repo seeded with known duplication and drift, through
 * the real CLI: exact counts per kind, no model call, hub and checkout unchanged; and bad detector
 * configs exit 2 naming the config line.
 */
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimTask } from "../../../coordination/protocol/claim.js";
import { Git } from "../../../coordination/git/git.js";
import { runCli } from "../support/cli-run.js";
import {
  createSeededRepo,
  hubRefs,
  seededConfig,
  seededFiles,
  type SeededRepo,
} from "./coalesce-fixture.js";

let repo: SeededRepo;
let markerDir: string;

beforeAll(async () => {
  markerDir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-marker-"));
  // A cleanup agent that would leave a trace if the dry run ever called it.
  const agent = `agents:\n  - name: cleaner\n    kind: command\n    command: touch ${markerDir}/called\n`;
  repo = await createSeededRepo(`  agent: cleaner\n${agent}`);
  const { fixture } = repo;
  // Drift on the hub: a work branch of the done task, and a lock on a task a human then checks off.
  const a1 = await fixture.clone("a1");
  await a1.git.run([
    "push",
    "--quiet",
    "origin",
    "HEAD:refs/heads/swarm/a1/old",
  ]);
  const claim = await claimTask(a1, {
    taskId: "next",
    agent: "a1",
    leaseMs: 600_000,
  });
  expect(claim.outcome).toBe("won");
  const progress = (
    await fixture.hub.run(["show", "main:PROGRESS.md"])
  ).replace("- [ ] next:", "- [x] next:");
  await fixture.pushToMain({ "PROGRESS.md": progress }, "human: next is done");
  await new Git(repo.userDir).run(["pull", "--quiet", "origin", "main"]);
}, 120_000);

afterAll(async () => {
  await repo?.fixture.cleanup();
  await rm(markerDir, { recursive: true, force: true });
});

describe("gitswarm coalesce --dry-run", () => {
  it("reports each seeded finding with exact counts, calls no model and changes nothing", async () => {
    const user = new Git(repo.userDir);
    const refsBefore = await hubRefs(repo.fixture);
    const headBefore = await user.run(["rev-parse", "HEAD"]);
    const result = await runCli([
      "coalesce",
      "--repo",
      repo.userDir,
      "--dry-run",
      "--json",
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      findings: {
        kind: string;
        files?: string[];
        task?: string;
        detail: string;
        fix: string;
      }[];
      figures: { counts: Record<string, number>; duplicatedLines: number };
    };
    expect(report.figures.counts).toEqual({
      "duplicate-code": 2,
      "unused-file": 1,
      "unused-dependency": 1,
      "stale-work-branch": 1,
      "state-mismatch": 1,
      "unarchived-done": 2,
      "notes-bloat": 1,
      "repeated-note": 1,
      "doc-missing-path": 1,
      "doc-missing-command": 1,
      todo: 1,
    });
    const byKind = (kind: string) =>
      report.findings.filter((f) => f.kind === kind);
    expect(byKind("duplicate-code").map((f) => f.files)).toEqual([
      ["src/alpha.ts", "src/beta.ts"],
      ["src/delta.ts", "src/gamma.ts"],
    ]);
    expect(byKind("stale-work-branch")[0]?.task).toBe("old");
    expect(byKind("state-mismatch")[0]?.task).toBe("next");
    expect(byKind("unused-file")[0]?.files).toEqual(["src/orphan.ts"]);
    expect(byKind("doc-missing-command")[0]?.detail).toContain(
      "gitswarm frobnicate",
    );
    for (const f of report.findings) expect(f.fix.length).toBeGreaterThan(0);
    await expect(access(path.join(markerDir, "called"))).rejects.toThrow();
    expect(await hubRefs(repo.fixture)).toBe(refsBefore);
    expect(await user.run(["rev-parse", "HEAD"])).toBe(headBefore);
    expect(await user.run(["status", "--porcelain"])).toBe("");
  }, 120_000);

  it.each([
    [
      "missing",
      "no-such-detector-xyz --json",
      /gitswarm\.config\.yaml:\d+: coalesce\.detectors\[1\] 'bad' .*cannot run/,
    ],
    [
      "garbage",
      "echo 'this is not json'",
      /gitswarm\.config\.yaml:\d+: coalesce\.detectors\[1\] 'bad' .*not a finding on its output line 1/,
    ],
    [
      "hanging",
      "sleep 60",
      /gitswarm\.config\.yaml:\d+: coalesce\.detectors\[1\] 'bad' .*did not finish within 1s/,
    ],
  ])(
    "a %s detector is bad config: exit 2 naming its line",
    async (_what, command, message) => {
      const config = await new Git(repo.userDir).run([
        "show",
        "HEAD:gitswarm.config.yaml",
      ]);
      const bad = config.replace(
        "  detectors:\n",
        `  detectors:\n    - name: todo2\n      command: "true"\n    - name: bad\n      timeout: 1s\n      command: ${JSON.stringify(command)}\n`,
      );
      await writeFile(path.join(repo.userDir, "gitswarm.config.yaml"), bad);
      try {
        const started = Date.now();
        const result = await runCli([
          "coalesce",
          "--repo",
          repo.userDir,
          "--dry-run",
        ]);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
        const line =
          bad
            .split("\n")
            .findIndex((l) => l.includes(JSON.stringify(command))) + 1;
        expect(result.stderr).toContain(`gitswarm.config.yaml:${line}:`);
        expect(Date.now() - started).toBeLessThan(60_000);
      } finally {
        await new Git(repo.userDir).run([
          "checkout",
          "--",
          "gitswarm.config.yaml",
        ]);
      }
    },
    120_000,
  );

  it("scans the checkout itself in a plain repo with no hub (exit 0, nothing changed)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-nohub-"));
    try {
      // The seeded files with no hub.url: nothing tells gitswarm where a hub is.
      // knip and jscpd are off: they are slow, and the hub-less path is the same for every detector.
      const config = seededConfig("x")
        .replace("hub:\n  url: x\n", "")
        .replace(
          "coalesce:\n",
          "coalesce:\n  unused: off\n  duplicates:\n    enabled: false\n",
        );
      for (const [name, text] of Object.entries(seededFiles(config))) {
        await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
        await writeFile(path.join(dir, name), text);
      }
      const git = new Git(dir);
      await git.run(["init", "--quiet", "--initial-branch=main"]);
      await git.run(["add", "-A"]);
      await git.run([
        "-c",
        "user.name=u",
        "-c",
        "user.email=u@x",
        "commit",
        "--quiet",
        "-m",
        "seed",
      ]);
      const result = await runCli([
        "coalesce",
        "--repo",
        dir,
        "--dry-run",
        "--json",
      ]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as {
        figures: { counts: Record<string, number> };
      };
      expect(report.figures.counts).toMatchObject({
        "unarchived-done": 1,
        "doc-missing-command": 1,
        todo: 1,
      });
      // No hub: no coordination drift is invented.
      expect(report.figures.counts["stale-work-branch"]).toBeUndefined();
      expect(await git.run(["status", "--porcelain"])).toBe("");
      expect(await git.run(["remote"])).toBe("");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
