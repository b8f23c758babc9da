/**
 * Host-local GPU leases: one proper-lockfile lock per GPU UUID in a directory every runner on this
 * host shares, so two runners never hand out the same GPU. A runner killed with SIGKILL stops
 * refreshing its locks and they go stale (`STALE_MS`), freeing the GPUs.
 */
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import lockfile from "proper-lockfile";
import type { Gpu } from "./gpu-inventory.js";

const STALE_MS = 10_000;

/** The directory all runners on this host share for device leases (overridable for tests). */
export function defaultDeviceLeaseDir(
  env: NodeJS.ProcessEnv = process.env,
): string {
  return (
    env.GITSWARM_DEVICE_LEASE_DIR ??
    path.join(os.tmpdir(), `gitswarm-devices-${os.userInfo().uid}`)
  );
}

/** GPUs held by this runner until `release` (idempotent). */
export interface DeviceLease {
  gpus: Gpu[];
  release(): Promise<void>;
}

/** Leasing `count` GPUs: held, or not enough free ones right now (`free` says how many were). */
export type DeviceLeaseResult =
  { ok: true; lease: DeviceLease } | { ok: false; free: number };

/**
 * Leases `count` GPUs that are neither busy (another process computes on them) nor leased by
 * another runner; all or nothing. `count` 0 always succeeds with no GPUs.
 */
export async function leaseGpus(
  gpus: readonly Gpu[],
  count: number,
  dir: string,
): Promise<DeviceLeaseResult> {
  await mkdir(dir, { recursive: true });
  const held: { gpu: Gpu; release: () => Promise<void> }[] = [];
  for (const gpu of gpus) {
    if (held.length === count) break;
    if (gpu.busy) continue;
    const release = await tryLock(dir, gpu.uuid);
    if (release !== undefined) held.push({ gpu, release });
  }
  const releaseAll = async () => {
    const pending = held.splice(0);
    await Promise.all(pending.map((h) => h.release().catch(() => undefined)));
  };
  if (held.length < count) {
    const free = held.length;
    await releaseAll();
    return { ok: false, free };
  }
  return {
    ok: true,
    lease: { gpus: held.map((h) => h.gpu), release: releaseAll },
  };
}

async function tryLock(
  dir: string,
  uuid: string,
): Promise<(() => Promise<void>) | undefined> {
  const file = path.join(dir, `${uuid.replace(/[^\w.-]/g, "_")}.lock`);
  try {
    return await lockfile.lock(dir, {
      lockfilePath: file,
      stale: STALE_MS,
      update: STALE_MS / 4,
      realpath: false,
      // A lease lost to a stalled event loop must not crash the runner: the job keeps its GPU
      // until it ends, and the next lease attempt by another runner sees the lock as stale.
      onCompromised: () => undefined,
    });
  } catch {
    return undefined; // held by another runner
  }
}
