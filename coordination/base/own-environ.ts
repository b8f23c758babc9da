/**
 * Takes the keys out of this process's /proc/<pid>/environ. That file shows the environment block
 * the process was started with, for its whole life, to any process of the same user: a runner
 * started with OPENAI_API_KEY would show it to every agent command that walks /proc. Node 20 cannot
 * re-exec itself (no execve), so the keys are moved instead: each value is copied into the heap
 * (setenv, so `process.env` still has it for the model calls), then its bytes in the original
 * block are overwritten with NULs through /proc/self/mem. Linux only; elsewhere there is no environ
 * file to read.
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import { isSecretName } from "./secret-env.js";

/** What `hideSecretsFromEnviron` did: the names whose values are gone from the environ block. */
export type EnvironScrub =
  { ok: true; hidden: string[] } | { ok: false; reason: string };

/**
 * Overwrites every secret's value (by name, see secret-env.ts; call again after
 * `declareSecretNames`) in this process's start-up environment block, keeping it in `process.env`.
 * Idempotent. Never throws: a kernel that refuses the write is reported, not fatal.
 */
export function hideSecretsFromEnviron(): EnvironScrub {
  if (process.platform !== "linux") return { ok: true, hidden: [] };
  try {
    const block = readFileSync("/proc/self/environ");
    const spots = secretSpots(block);
    if (spots.length === 0) return { ok: true, hidden: [] };
    const start = envStart(readFileSync("/proc/self/stat", "utf8"));
    const values = spots.map((spot) => process.env[spot.name]);
    const fd = openSync("/proc/self/mem", "r+");
    try {
      for (const spot of spots)
        writeSync(
          fd,
          Buffer.alloc(spot.length),
          0,
          spot.length,
          start + spot.offset,
        );
    } finally {
      closeSync(fd);
    }
    // The C environment still points at the (now empty) old strings: point it at heap copies.
    spots.forEach((spot, i) => {
      const value = values[i];
      if (value !== undefined) process.env[spot.name] = value;
    });
    const after = readFileSync("/proc/self/environ");
    const left = spots.filter((spot, i) => {
      const value = values[i];
      return value !== undefined && value !== "" && after.includes(value);
    });
    if (left.length > 0)
      return {
        ok: false,
        reason: `${left.map((s) => s.name).join(", ")} still in /proc/${process.pid}/environ`,
      };
    return { ok: true, hidden: spots.map((spot) => spot.name) };
  } catch (error) {
    return {
      ok: false,
      reason: `cannot rewrite /proc/self/environ: ${(error as Error).message}`,
    };
  }
}

/** Where each secret's value sits in an environ block: byte offset and length (pure). */
export function secretSpots(
  block: Uint8Array,
): { name: string; offset: number; length: number }[] {
  const out: { name: string; offset: number; length: number }[] = [];
  let offset = 0;
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  while (offset < bytes.length) {
    let end = bytes.indexOf(0, offset);
    if (end === -1) end = bytes.length;
    const eq = bytes.indexOf(0x3d, offset); // '='
    if (eq !== -1 && eq < end) {
      const name = bytes.toString("utf8", offset, eq);
      if (end > eq + 1 && isSecretName(name))
        out.push({ name, offset: eq + 1, length: end - eq - 1 });
    }
    offset = end + 1;
  }
  return out;
}

/** The address of the environment block: field 50 of /proc/self/stat (Linux 3.5+), pure. */
export function envStart(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: count from its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const value = Number(fields[50 - 3]);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`no env_start in /proc/self/stat: '${fields[50 - 3]}'`);
  return value;
}
