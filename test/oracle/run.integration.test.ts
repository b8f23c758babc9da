import { mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  loadOracleConfig,
  runOracle,
  type OracleReport,
} from "../../oracle/index.js";
import {
  makeFakeRepo,
  readPids,
  removeRepos,
  runCli,
  waitUntilGone,
} from "./fixture.js";

describe("gitswarm oracle (real processes)", () => {
  afterAll(removeRepos);

  it("prints a summary ending with the counts, exits 1 on failures and 0 when all pass; --json matches", async () => {
    const repo = await makeFakeRepo({ a: "ok:1", b: "ok:2", c: "wrong:3" });
    const run = await runCli(["oracle", "--repo", repo]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("2 passed, 1 failed");
    expect(run.stdout).toContain(
      'FAIL cases/c.case: line 1: expected "3" got "not 3"',
    );
    const json = await runCli(["oracle", "--repo", repo, "--json"]);
    const report = JSON.parse(json.stdout) as OracleReport;
    expect([report.passed, report.failed, report.skipped]).toEqual([2, 1, 0]);
    expect(report.cases.map((c) => [c.id, c.status])).toEqual([
      ["cases/a.case", "passed"],
      ["cases/b.case", "passed"],
      ["cases/c.case", "failed"],
    ]);
    await writeFile(path.join(repo, "cases/c.case"), "ok:3\n");
    const green = await runCli(["oracle", "--repo", repo]);
    expect([green.code, green.stdout.trimEnd().split("\n").at(-1)]).toEqual([
      0,
      "3 passed, 0 failed",
    ]);
  });

  it("a hanging, crashing, flooding or non-UTF-8 candidate fails with reasons, in time, leaving no process", async () => {
    const repo = await makeFakeRepo({
      hang: "hang",
      stubborn: "hang-ignoring-term",
      grandchild: "hang-grandchild",
      crash: "crash",
      flood: "flood",
      utf8: "bad-utf8",
      fine: "ok:yes",
      exit: "exit3:x",
    });
    const started = performance.now();
    // Expected outputs from files (no reference runs), a 2 s timeout and a 1 MiB output cap.
    const config = (
      await readFile(path.join(repo, "gitswarm.config.yaml"), "utf8")
    )
      .replace(/ {2}reference: .*\n/, "")
      .replace("timeout: 1s", "timeout: 2s");
    await writeFile(
      path.join(repo, "gitswarm.config.yaml"),
      config + "  maxOutputBytes: 1048576\n",
    );
    for (const name of [
      "hang",
      "stubborn",
      "grandchild",
      "crash",
      "flood",
      "utf8",
      "fine",
      "exit",
    ]) {
      await writeFile(
        path.join(repo, `cases/${name}.case.expected`),
        name === "fine" ? "yes\n" : name === "exit" ? "x\n" : "whatever\n",
      );
    }
    const run = await runCli(
      ["oracle", "--repo", repo, "--json", "--junit", "junit.xml"],
      repo,
    );
    const elapsed = performance.now() - started;
    const report = JSON.parse(run.stdout) as OracleReport;
    const reasons = Object.fromEntries(
      report.cases.map((c) => [
        c.id.replace(/^cases\/|\.case$/g, ""),
        (c.reason ?? c.status).replace(/ \(stderr: .*\)$/, ""),
      ]),
    );
    expect(reasons).toEqual({
      hang: "timed out after 2s (process group killed)",
      stubborn: "timed out after 2s (process group killed)",
      grandchild: "timed out after 2s (process group killed)",
      crash: "crashed: killed by SIGSEGV",
      flood: "output exceeded 1 MiB (process group killed)",
      utf8: "output is not valid UTF-8 (first bad byte at offset 2)",
      fine: "passed",
      exit: "passed",
    });
    expect(run.code).toBe(1);
    // The hanging cases never end by themselves: ending at all is the timeout's kill. The bound
    // (two waves of timeout + kill grace, and room for a loaded machine) only catches a wait
    // that is not cut off; the reasons above prove the timeouts fired.
    expect(elapsed).toBeLessThan(60_000);
    const pids = await readPids(repo, [
      "hang",
      "stubborn",
      "grandchild",
      "flood",
    ]);
    expect(await waitUntilGone(pids)).toEqual([]);
    const junit = await readFile(path.join(repo, "junit.xml"), "utf8");
    expect(junit).toContain('tests="8" failures="6"');
  });

  it("caches outcomes by content: a re-run runs nothing; a changed case or candidate input runs again", async () => {
    const repo = await makeFakeRepo(
      { a: "ok:1", b: "ok:2" },
      "  candidateInputs: [lib/*.txt]\n",
    );
    const config = await loadOracleConfig(repo);
    const runs = async () =>
      (await readFile(path.join(repo, "runs.log"), "utf8").catch(() => ""))
        .trim()
        .split("\n")
        .filter(Boolean).length;
    const cold = await runOracle({ repoDir: repo, config });
    expect(cold.cases.map((c) => c.cached)).toEqual([false, false]);
    expect(await runs()).toBe(2);
    const warm = await runOracle({ repoDir: repo, config });
    expect(warm.cases.map((c) => c.cached)).toEqual([true, true]);
    expect(await runs()).toBe(2);
    await writeFile(path.join(repo, "cases/b.case"), "ok:22\n");
    expect(
      (await runOracle({ repoDir: repo, config })).cases.map((c) => c.cached),
    ).toEqual([true, false]);
    await writeFile(
      path.join(repo, "candidate.sh"),
      (await readFile(path.join(repo, "candidate.sh"), "utf8")) +
        "\n# edited\n",
    );
    expect(
      (await runOracle({ repoDir: repo, config })).cases.map((c) => c.cached),
    ).toEqual([false, false]);
    await mkdir(path.join(repo, "lib"));
    await writeFile(path.join(repo, "lib/helper.txt"), "v2");
    expect(
      (await runOracle({ repoDir: repo, config })).cases.map((c) => c.cached),
    ).toEqual([false, false]);
    expect(
      (await runOracle({ repoDir: repo, config, useCache: false })).cases.map(
        (c) => c.cached,
      ),
    ).toEqual([false, false]);
    expect(await runs()).toBe(2 + 1 + 2 + 2 + 2);
  });

  it('never caches "command not found": installing the program makes the next run real', async () => {
    const repo = await makeFakeRepo({ a: "ok:1" });
    const config = {
      ...(await loadOracleConfig(repo)),
      candidate: "./tool {case}",
    };
    const missing = await runOracle({ repoDir: repo, config });
    expect(missing.cases[0]).toMatchObject({ status: "failed", cached: false });
    await writeFile(path.join(repo, "tool"), "#!/bin/sh\necho 1\n", {
      mode: 0o755,
    });
    expect((await runOracle({ repoDir: repo, config })).cases[0]).toMatchObject(
      { status: "passed", cached: false },
    );
  });

  it("an abort stops the run at once: running cases are killed, the rest skipped", async () => {
    const repo = await makeFakeRepo({
      a: "hang",
      b: "hang",
      c: "hang",
      d: "ok:1",
    });
    const config = { ...(await loadOracleConfig(repo)), timeout: 60_000 };
    const controller = new AbortController();
    const started = performance.now();
    const running = runOracle({
      repoDir: repo,
      config,
      signal: controller.signal,
    });
    const pidFile = path.join(repo, "pids/a.case.pid");
    const until = Date.now() + 20_000;
    while (
      !(await readFile(pidFile, "utf8").catch(() => "")).trim() &&
      Date.now() < until
    ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    controller.abort();
    const report = await running;
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(report.cases.map((c) => [c.status, c.reason])).toEqual(
      Array(4).fill(["skipped", "aborted"]),
    );
    expect(await waitUntilGone(await readPids(repo, ["a"]))).toEqual([]);
  });

  it("records the reference; runs against the recording without it; detects a stale recording", async () => {
    const repo = await makeFakeRepo({ a: "ok:1", b: "wrong:2" });
    const recorded = await runCli(["oracle", "record", "--repo", repo]);
    expect([recorded.code, recorded.stdout]).toEqual([
      0,
      "recorded 2 case(s) into oracle/expected/, 0 failed\n",
    ]);
    expect(
      await readFile(
        path.join(repo, "oracle/expected/cases/a.case.out"),
        "utf8",
      ),
    ).toBe("1\n");
    // The reference is gone (as in CI): the recording is enough.
    await writeFile(path.join(repo, "reference.sh"), "exit 99\n");
    const ci = await runCli(["oracle", "--repo", repo, "--recording", "only"]);
    expect(ci.stdout.trimEnd().split("\n").at(-1)).toBe("1 passed, 1 failed");
    await writeFile(path.join(repo, "cases/a.case"), "ok:changed\n");
    const stale = await runCli([
      "oracle",
      "--repo",
      repo,
      "--recording",
      "only",
    ]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain(
      "1 case(s) changed since they were recorded (stale recording): cases/a.case. To fix: run 'gitswarm oracle record'",
    );
    // Without --recording only, a stale case needs the live reference; a missing one says why.
    const auto = await runCli([
      "oracle",
      "--repo",
      repo,
      "--reference",
      "no-such-reference {case}",
    ]);
    expect(auto.code).toBe(2);
    expect(auto.stderr).toContain(
      "the reference 'no-such-reference' was not found",
    );
    expect(auto.stderr).toContain(
      "(It is needed because 2 recording(s) are stale, e.g. cases/a.case.)",
    );
  });

  it("bad input exits 2 with a clear message", async () => {
    const repo = await makeFakeRepo({ a: "ok:1" });
    const missing = await runCli([
      "oracle",
      "--repo",
      repo,
      "--reference",
      "no-such-reference-binary {case}",
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "the reference 'no-such-reference-binary' was not found",
    );
    expect(missing.stderr).toContain(
      "run 'gitswarm oracle record' where 'no-such-reference-binary' is installed",
    );
    const late = await runCli([
      "oracle",
      "--repo",
      repo,
      "--reference",
      "cd . && no-such-reference-binary {case}",
    ]);
    expect([late.code, late.stderr.includes("was not found")]).toEqual([
      2,
      true,
    ]);
    const glob = await runCli([
      "oracle",
      "--repo",
      repo,
      "--cases",
      "cases/*.nothing",
    ]);
    expect([glob.code, glob.stderr]).toEqual([
      2,
      `gitswarm oracle: oracle.cases: no file matches 'cases/*.nothing' (relative to ${repo}); fix the glob in gitswarm.config.yaml or --cases\n`,
    ]);
    const comparator = await runCli([
      "oracle",
      "--repo",
      repo,
      "--compare",
      "fuzzy",
    ]);
    expect([comparator.code, comparator.stderr]).toEqual([
      2,
      'gitswarm oracle: --compare[0]: invalid comparator "fuzzy": use one of exact, whitespace, unordered, numeric\n',
    ]);
    await symlink(
      path.join(repo, "nowhere"),
      path.join(repo, "cases/broken.case"),
    );
    const unreadable = await runCli(["oracle", "--repo", repo]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain(
      "cannot read case cases/broken.case: ENOENT",
    );
  });

  it("the ratchet rejects a change breaking a passing case, naming it, and raises the baseline on a fix", async () => {
    const repo = await makeFakeRepo({ a: "ok:1", b: "ok:2", c: "wrong:3" });
    const first = await runCli(["oracle", "--repo", repo, "--ratchet"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      "ratchet: ok, baseline raised by 2 (2 passing case(s))",
    );
    const baselineFile = path.join(repo, "oracle/baseline.json");
    expect(JSON.parse(await readFile(baselineFile, "utf8")).passing).toEqual([
      "cases/a.case",
      "cases/b.case",
    ]);
    await writeFile(path.join(repo, "cases/b.case"), "wrong:2\n");
    const broken = await runCli(["oracle", "--repo", repo, "--ratchet"]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      "ratchet: REJECTED: 1 case(s) of oracle/baseline.json now fail: cases/b.case",
    );
    await writeFile(path.join(repo, "cases/b.case"), "ok:2\n");
    await writeFile(path.join(repo, "cases/c.case"), "ok:3\n");
    const fixed = await runCli([
      "oracle",
      "--repo",
      repo,
      "--ratchet",
      "--json",
    ]);
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout).ratchet).toMatchObject({
      ok: true,
      raised: ["cases/c.case"],
    });
    expect(JSON.parse(await readFile(baselineFile, "utf8")).passing).toEqual([
      "cases/a.case",
      "cases/b.case",
      "cases/c.case",
    ]);
    await rm(path.join(repo, "cases/a.case"));
    expect((await runCli(["oracle", "--repo", repo, "--ratchet"])).code).toBe(
      0,
    );
    expect(JSON.parse(await readFile(baselineFile, "utf8")).passing).toEqual([
      "cases/b.case",
      "cases/c.case",
    ]);
  });

  it("samples deterministically per seed, expect files and diff work", async () => {
    const cases = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`c${i}`, `ok:${i}`]),
    );
    const repo = await makeFakeRepo(cases);
    const ids = async (seed: string) =>
      (
        JSON.parse(
          (
            await runCli([
              "oracle",
              "--repo",
              repo,
              "--json",
              "--jobs",
              "4",
              "--sample",
              "20%",
              "--seed",
              seed,
            ])
          ).stdout,
        ) as OracleReport
      ).cases.map((c) => c.id);
    const one = await ids("agent-1");
    expect(one).toHaveLength(4);
    expect(await ids("agent-1")).toEqual(one);
    expect(await ids("agent-2")).not.toEqual(one);
    await writeFile(
      path.join(repo, "cases/c0.case.expected"),
      "from the file\n",
    );
    const diff = await runCli([
      "oracle",
      "diff",
      "cases/c0.case",
      "--repo",
      repo,
    ]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toBe(
      'cases/c0.case: failed: line 1: expected "from the file" got "0"\n--- expected\n+++ actual\n-from the file\n+0\n',
    );
  });
});
