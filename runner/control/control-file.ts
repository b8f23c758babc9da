/**
 * The control state on disk: `control.json` in the run directory (`.gitswarm/runs/<run>/`), so a
 * second terminal, the dashboard and the runner's agents all see the same one. Writers change it by
 * compare-and-swap (read, apply, write only if nobody wrote meanwhile, else again); readers read
 * whole files only (the write is a rename).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../coordination/base/atomic-file.js";
import {
  applyControl,
  parseControl,
  type ControlRequest,
  type ControlState,
} from "./control-state.js";

/** The control file of a run. */
export function controlFile(runDir: string): string {
  return path.join(runDir, "control.json");
}

/** Reads a run's control state (nobody steering when there is no file). */
export async function readControl(runDir: string): Promise<ControlState> {
  return parseControl(
    await readFile(controlFile(runDir), "utf8").catch(() => ""),
  );
}

/** Applies `request` to the run's control state; resolves with the state written. */
export async function writeControl(
  runDir: string,
  request: ControlRequest,
  by: string,
): Promise<ControlState> {
  const file = controlFile(runDir);
  for (let tries = 0; ; tries += 1) {
    const text = await readFile(file, "utf8").catch(() => "");
    const next = applyControl(parseControl(text), request, by, new Date());
    const written = await writeFileAtomic(
      file,
      `${JSON.stringify(next, null, 2)}\n`,
      { expect: text },
    );
    // Two writers at once: the loser reads the winner's state and applies its request on top.
    if (written.written || tries >= 20) return next;
  }
}
