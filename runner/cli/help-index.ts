/**
 * The command list that `gitswarm --help` prints, written by the build (scripts/build.ts) next to
 * the compiled commands. Loading every command to read its summary costs about a second (the model
 * SDKs, remark, zod); reading this file costs nothing. Run from the sources there is no index and
 * the commands are loaded instead; the build writes it from the same sources, so it cannot drift.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "./command.js";

/** One line of `gitswarm --help`. */
export type HelpEntry = Pick<Command, "name" | "summary">;

const INDEX = new URL("./commands/help-index.json", import.meta.url);

/** Reads the build's index; undefined when there is none (running from the sources). */
export async function readHelpIndex(): Promise<HelpEntry[] | undefined> {
  try {
    return JSON.parse(await readFile(INDEX, "utf8")) as HelpEntry[];
  } catch {
    return undefined;
  }
}

/** Writes the index for `commands` (in `--help` order) beside this module; the build calls it. */
export async function writeHelpIndex(
  commands: readonly Command[],
): Promise<void> {
  const entries: HelpEntry[] = commands.map(({ name, summary }) => ({
    name,
    summary,
  }));
  await writeFile(INDEX, `${JSON.stringify(entries, null, 2)}\n`);
}
