import {
  mkdir,
  mkdtemp,
  readFile,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createScriptedAgent } from "../../agents/local/scripted-agent.js";
import {
  attemptNumber,
  availableAttempts,
  pickAttempt,
  planFileOps,
} from "../../agents/local/scripted-plan.js";
import type { AgentTask, WorkRequest } from "../../agents/types.js";

describe("scripted plan (pure)", () => {
  it("counts the failed-attempt notes the runner leaves, and nothing else", () => {
    expect(attemptNumber([])).toBe(1);
    expect(
      attemptNumber([
        "cases/259-shell-mode-csv.sql",
        "released by b: attempt 1 failed: oracle: 1 case fails",
      ]),
    ).toBe(2);
    expect(
      attemptNumber([
        "released by a: attempt 1 failed: x",
        "released by c: attempt 2 failed: y",
        "attempts are hard",
      ]),
    ).toBe(3);
  });

  it("lists attempt folders in order and ignores other names", () => {
    expect(
      availableAttempts([
        "attempt-2",
        "README.md",
        "attempt-10",
        "attempt-1",
        "attempt-x",
        "attempt-0",
      ]),
    ).toEqual([1, 2, 10]);
  });

  it("picks the attempt itself, else the highest below, else the lowest, else none", () => {
    expect(pickAttempt([1, 2], 2)).toBe(2);
    expect(pickAttempt([1, 2], 5)).toBe(2);
    expect(pickAttempt([2, 3], 1)).toBe(2);
    expect(pickAttempt([], 1)).toBeUndefined();
  });

  it("turns X.delete into the deletion of X and everything else into a write, sorted", () => {
    expect(planFileOps(["src/b.mjs", "old/a.txt.delete", ".delete"])).toEqual([
      { kind: "write", from: ".delete", to: ".delete" },
      { kind: "delete", path: "old/a.txt" },
      { kind: "write", from: "src/b.mjs", to: "src/b.mjs" },
    ]);
  });
});

describe("scripted agent (real files)", () => {
  let root = "";
  afterEach(async () => {
    if (root !== "") await rm(root, { recursive: true, force: true });
  });

  async function setUp() {
    root = await mkdtemp(path.join(tmpdir(), "gitswarm-scripted-"));
    const scripts = path.join(root, "scripts");
    const workspace = path.join(root, "ws");
    await put(scripts, "task-a/attempt-1/src/feature.mjs", "wrong\n");
    await put(scripts, "task-a/attempt-2/src/feature.mjs", "right\n");
    await put(scripts, "task-a/attempt-2/old.txt.delete", "");
    await put(workspace, "src/feature.mjs", "base\n");
    await put(workspace, "old.txt", "to go\n");
    return { scripts, workspace };
  }

  function request(
    workspaceDir: string,
    task: Partial<AgentTask>,
    signal = new AbortController().signal,
  ): WorkRequest {
    const full: AgentTask = {
      id: "task-a",
      title: "A",
      notes: [],
      needs: [],
      tags: [],
      ...task,
    };
    return { workspaceDir, task: full, context: {}, budget: {}, signal };
  }

  it("applies attempt 1 first, then attempt 2 (with its deletions) after a recorded failure", async () => {
    const { scripts, workspace } = await setUp();
    const agent = createScriptedAgent("scripted-1", scripts, { thinkMs: 0 });
    expect(agent.kind).toBe("scripted");
    const first = await agent.work(request(workspace, {}));
    expect(first).toEqual({
      kind: "finished",
      summary: "scripted: applied attempt 1 for task-a",
      usage: expect.objectContaining({ calls: 0, costUsd: 0 }),
    });
    expect(
      await readFile(path.join(workspace, "src/feature.mjs"), "utf8"),
    ).toBe("wrong\n");
    expect(await exists(path.join(workspace, "old.txt"))).toBe(true);
    const notes = [
      "released by scripted-1: attempt 1 failed: oracle: 2 passing case(s) now fail",
    ];
    const second = await agent.work(request(workspace, { notes }));
    expect(second.kind === "finished" && second.summary).toBe(
      "scripted: applied attempt 2 for task-a",
    );
    expect(
      await readFile(path.join(workspace, "src/feature.mjs"), "utf8"),
    ).toBe("right\n");
    expect(await exists(path.join(workspace, "old.txt"))).toBe(false);
    expect(await exists(path.join(workspace, "old.txt.delete"))).toBe(false);
  });

  it("gives up, naming the folder, on a task it has no script for", async () => {
    const { scripts, workspace } = await setUp();
    const outcome = await createScriptedAgent("s", scripts, {
      thinkMs: 0,
    }).work(request(workspace, { id: "other" }));
    expect(outcome.kind).toBe("gave-up");
    expect(outcome.kind === "gave-up" && outcome.reason).toContain(
      path.join(scripts, "other"),
    );
  });

  it("stops thinking when aborted and reports it as aborted", async () => {
    const { scripts, workspace } = await setUp();
    const controller = new AbortController();
    const agent = createScriptedAgent("s", scripts, { thinkMs: 60_000 });
    const pending = agent.work(request(workspace, {}, controller.signal));
    // Abort once the change is on disk: the agent is then in its think time.
    await waitFor(
      async () =>
        (await readFile(path.join(workspace, "src/feature.mjs"), "utf8")) ===
        "wrong\n",
    );
    const started = performance.now();
    controller.abort();
    expect(await pending).toEqual({
      kind: "failed",
      error: { kind: "aborted" },
      usage: expect.anything(),
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

async function put(dir: string, file: string, text: string) {
  await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
  await writeFile(path.join(dir, file), text);
}

async function exists(file: string) {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function waitFor(check: () => Promise<boolean>, deadlineMs = 5_000) {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error("condition not met before the deadline");
    await new Promise((resolve) => setImmediate(resolve));
  }
}
