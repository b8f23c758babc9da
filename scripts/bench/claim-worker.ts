/**
 * A long-lived agent process for race and crash tests: one OS process per clone, driven by lines on
 * stdin, answering one JSON line per command on stdout. Starting a process per claim would spend
 * the test's time loading modules instead of racing.
 *
 *   fetch            → {"ok":true}
 *   claim TASK       → the ClaimResult
 *   claim-all A,B,C  → claims each listed task in a random order: {"won":[ids]} (benchmarks)
 *   land-all A,B,…   → claims and finishes each task in turn: {"landed":[ids]}
 *   queue-all A,B,…  → claims each task in turn and enqueues its work for a lander: {"queued":[ids]}
 *   loop             → claims and finishes claimable tasks until none is left: {"done":[ids]}
 *   hold TASK MS     → claims with an MS lease, commits partial work, heartbeats: {claimId, branch}
 *   beat-every TASK MS → keeps sending heartbeats every MS in the background: {"ok":true}
 *   break TASK       → the BreakResult
 *   force-break TASK → the BreakResult of a forced break (the holder may be alive)
 *   resume TASK      → claims, starts from the latest work branch, adds to it, finishes
 *   finish TASK ID   → finishTask with claim ID and HEAD as the work
 */
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import { claimTask } from "../../coordination/protocol/claim.js";
import { finishTask, releaseTask } from "../../coordination/protocol/finish.js";
import { readSwarmState } from "../../coordination/protocol/swarm-state.js";
import { sendHeartbeat } from "../../coordination/protocol/heartbeat.js";
import { breakLock } from "../../coordination/protocol/break-lock.js";
import { checkoutWorkBranch } from "../../coordination/protocol/resume.js";
import { enqueueWork } from "../../coordination/queue/enqueue.js";
import {
  agentIdentity,
  fetchMain,
  openWorkspace,
} from "../../coordination/git/workspace.js";

const [dir = "", agent = ""] = process.argv.slice(2);
const ws = openWorkspace(dir, { identity: agentIdentity(agent) });

async function loop(): Promise<string[]> {
  const done: string[] = [];
  for (;;) {
    const state = await readSwarmState(ws, { leases: false });
    if (state.tasks.every((t) => t.status === "done")) return done;
    const candidates = state.tasks.filter((t) => t.claimable);
    const pick = candidates[Math.floor(Math.random() * candidates.length)];
    if (pick === undefined) {
      await new Promise((resolve) =>
        setTimeout(resolve, 50 + Math.random() * 100),
      );
      continue;
    }
    const claim = await claimTask(ws, {
      taskId: pick.task.id,
      agent,
      leaseMs: 60_000,
    });
    if (claim.outcome !== "won") continue;
    // The work: one file, committed on a work branch started at main as the claim read it.
    await ws.git.run([
      "checkout",
      "--quiet",
      "-B",
      claim.lock.branch,
      "origin/main",
    ]);
    await commitFile(`${pick.task.id}.txt`, `${pick.task.id} by ${agent}\n`);
    const held = { taskId: pick.task.id, agent, claimId: claim.lock.claimId };
    const end = await finishTask(ws, { ...held, work: "HEAD" }).catch(
      (error: Error) => ({ outcome: "error", message: error.message }),
    );
    if (end.outcome === "landed") {
      done.push(pick.task.id);
      continue;
    }
    // Give the task back so the other loops can finish (and this failure gets reported, not a hang).
    await releaseTask(ws, { ...held, reason: "finish failed" }).catch(
      () => undefined,
    );
    throw new Error(
      `${agent} could not finish ${pick.task.id}: ${JSON.stringify(end)}`,
    );
  }
}

async function hold(taskId: string, leaseMs: number) {
  const claim = await claimTask(ws, { taskId, agent, leaseMs });
  if (claim.outcome !== "won") return claim;
  await checkoutWorkBranch(ws, claim.lock, "origin/main");
  await commitFile(`${taskId}.partial`, `started by ${agent}\n`);
  // Uncommitted work too: the heartbeat snapshot must carry it to the hub.
  await writeFile(
    path.join(dir, "work", `${taskId}.uncommitted`),
    `typed by ${agent}\n`,
  );
  const beat = await sendHeartbeat(ws, {
    taskId,
    agent,
    claimId: claim.lock.claimId,
  });
  return {
    claimId: claim.lock.claimId,
    branch: claim.lock.branch,
    head: (await ws.git.run(["rev-parse", "HEAD"])).trim(),
    beat,
  };
}

async function resume(taskId: string) {
  const claim = await claimTask(ws, { taskId, agent, leaseMs: 60_000 });
  if (claim.outcome !== "won") return claim;
  const from = await checkoutWorkBranch(ws, claim.lock, "origin/main");
  await commitFile(`${taskId}.final`, `finished by ${agent}\n`);
  const end = await finishTask(ws, {
    taskId,
    agent,
    claimId: claim.lock.claimId,
    work: "HEAD",
  });
  return { resumedFrom: from?.branch ?? null, end };
}

/**
 * Claims each task in turn, commits its work on the claim's branch and ends the claim with `end`;
 * returns the ids whose claim was won and whose `end` said true.
 */
async function workEach(
  ids: readonly string[],
  end: (held: {
    taskId: string;
    agent: string;
    claimId: string;
  }) => Promise<boolean>,
): Promise<string[]> {
  const ended: string[] = [];
  for (const taskId of ids) {
    const claim = await claimTask(ws, { taskId, agent, leaseMs: 60_000 });
    if (claim.outcome !== "won") continue;
    await ws.git.run([
      "checkout",
      "--quiet",
      "-B",
      claim.lock.branch,
      "origin/main",
    ]);
    await commitFile(`${taskId}.txt`, `${taskId} by ${agent}\n`);
    if (await end({ taskId, agent, claimId: claim.lock.claimId }))
      ended.push(taskId);
  }
  return ended;
}

async function commitFile(name: string, content: string) {
  await mkdir(path.join(dir, "work"), { recursive: true });
  await writeFile(path.join(dir, "work", name), content);
  await ws.git.run(["add", "work"]);
  await ws.git.run(["commit", "--quiet", "-m", `work: ${name}`]);
}

const beating: NodeJS.Timeout[] = [];
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, arg = ""] = line.trim().split(/\s+/);
  try {
    if (command === "fetch") {
      await fetchMain(ws);
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } else if (command === "claim") {
      process.stdout.write(
        `${JSON.stringify(await claimTask(ws, { taskId: arg, agent, leaseMs: 60_000 }))}\n`,
      );
    } else if (command === "claim-all") {
      const ids = arg.split(",").sort(() => Math.random() - 0.5);
      const won: string[] = [];
      for (const id of ids)
        if (
          (await claimTask(ws, { taskId: id, agent, leaseMs: 60_000 }))
            .outcome === "won"
        )
          won.push(id);
      process.stdout.write(`${JSON.stringify({ won })}\n`);
    } else if (command === "land-all") {
      const landed = await workEach(
        arg.split(","),
        async (held) =>
          (await finishTask(ws, { ...held, work: "HEAD" })).outcome ===
          "landed",
      );
      process.stdout.write(`${JSON.stringify({ landed })}\n`);
    } else if (command === "queue-all") {
      const queued = await workEach(
        arg.split(","),
        async (held) =>
          (await enqueueWork(ws, { ...held, work: "HEAD" })).outcome ===
          "queued",
      );
      process.stdout.write(`${JSON.stringify({ queued })}\n`);
    } else if (command === "hold") {
      process.stdout.write(
        `${JSON.stringify(await hold(arg, Number(line.split(/\s+/)[2])))}\n`,
      );
    } else if (command === "beat-every") {
      const every = Number(line.split(/\s+/)[2]);
      // One heartbeat at a time, like the runner: a slow push must not pile up behind itself.
      const beat = async (): Promise<void> => {
        await sendHeartbeat(ws, { taskId: arg, agent }).catch(() => undefined);
        beating.push(setTimeout(() => void beat(), every));
      };
      void beat();
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } else if (command === "break") {
      process.stdout.write(
        `${JSON.stringify(await breakLock(ws, { taskId: arg, breaker: agent }))}\n`,
      );
    } else if (command === "force-break") {
      process.stdout.write(
        `${JSON.stringify(await breakLock(ws, { taskId: arg, breaker: agent, force: true }))}\n`,
      );
    } else if (command === "resume") {
      process.stdout.write(`${JSON.stringify(await resume(arg))}\n`);
    } else if (command === "finish") {
      const claimId = line.split(/\s+/)[2] ?? "";
      process.stdout.write(
        `${JSON.stringify(await finishTask(ws, { taskId: arg, agent, claimId, work: "HEAD" }))}\n`,
      );
    } else if (command === "loop") {
      process.stdout.write(`${JSON.stringify({ done: await loop() })}\n`);
    }
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ error: (error as Error).message })}\n`,
    );
  }
}
for (const timer of beating) clearTimeout(timer);
