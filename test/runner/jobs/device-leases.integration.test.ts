/**
 * Issue 13: two runners on one host never hand out the same GPU. Real OS processes race for the
 * host-local leases; a released (or SIGKILLed, once stale) lease frees its GPU.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const WORKER = fileURLToPath(
  new URL("./support/lease-worker.ts", import.meta.url),
);

interface Leaser {
  child: ChildProcessWithoutNullStreams;
  answer: Promise<{ ok: boolean; gpus?: string[]; free?: number }>;
}

function startLeaser(dir: string, count: number, uuids: string[]): Leaser {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", WORKER, dir, String(count), uuids.join(",")],
    { stdio: ["pipe", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const answer = new Promise<{ ok: boolean; gpus?: string[]; free?: number }>(
    (resolve, reject) => {
      readline
        .createInterface({ input: child.stdout })
        .once("line", (line) => resolve(JSON.parse(line)));
      child.once("exit", () => reject(new Error(`leaser exited: ${stderr}`)));
    },
  );
  return { child, answer };
}

function stop(leaser: Leaser): Promise<void> {
  return new Promise((resolve) => {
    if (leaser.child.exitCode !== null || leaser.child.signalCode !== null)
      return resolve();
    leaser.child.once("exit", () => resolve());
    leaser.child.stdin.end();
  });
}

describe("host-local GPU leases", () => {
  const dirs: string[] = [];
  const leasers: Leaser[] = [];
  afterEach(async () => {
    await Promise.all(leasers.splice(0).map(stop));
    for (const dir of dirs.splice(0))
      await rm(dir, { recursive: true, force: true });
  });

  async function leaseDir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-devices-test-"));
    dirs.push(dir);
    return dir;
  }

  it("six runners racing for one free GPU: exactly one gets it", async () => {
    const dir = await leaseDir();
    const racers = Array.from({ length: 6 }, () =>
      startLeaser(dir, 1, ["GPU-only"]),
    );
    leasers.push(...racers);
    const answers = await Promise.all(racers.map((r) => r.answer));
    expect(answers.filter((a) => a.ok)).toEqual([
      { ok: true, gpus: ["GPU-only"] },
    ]);
    expect(answers.filter((a) => !a.ok)).toHaveLength(5);
  });

  it("two runners on two GPUs get different ones; a third finds none free until one is released", async () => {
    const dir = await leaseDir();
    const uuids = ["GPU-a", "GPU-b"];
    const first = startLeaser(dir, 1, uuids);
    const second = startLeaser(dir, 1, uuids);
    leasers.push(first, second);
    const got = await Promise.all([first.answer, second.answer]);
    expect(got.every((a) => a.ok)).toBe(true);
    expect(new Set(got.flatMap((a) => a.gpus ?? []))).toEqual(new Set(uuids));
    const third = startLeaser(dir, 1, uuids);
    leasers.push(third);
    expect(await third.answer).toEqual({ ok: false, free: 0 });
    await stop(first);
    const fourth = startLeaser(dir, 1, uuids);
    leasers.push(fourth);
    expect(await fourth.answer).toEqual({ ok: true, gpus: got[0]?.gpus });
  });

  it("all or nothing: asking for two when one is free holds none", async () => {
    const dir = await leaseDir();
    const holder = startLeaser(dir, 1, ["GPU-a", "GPU-b"]);
    leasers.push(holder);
    expect((await holder.answer).gpus).toEqual(["GPU-a"]);
    const greedy = startLeaser(dir, 2, ["GPU-a", "GPU-b"]);
    leasers.push(greedy);
    expect(await greedy.answer).toEqual({ ok: false, free: 1 });
    const single = startLeaser(dir, 1, ["GPU-a", "GPU-b"]);
    leasers.push(single);
    expect(await single.answer).toEqual({ ok: true, gpus: ["GPU-b"] });
  });
});
