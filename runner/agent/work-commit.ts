/** Commits what an agent left in its workspace as a work commit on its branch. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { stripDriverLines } from "../../coordination/git/guard/attributes-guard.js";
import { pinAttributes } from "../../coordination/git/guard/merge-driver-setup.js";
import { renderCommitMessage } from "../../coordination/git/trailers.js";
import {
  trackingRef,
  type Workspace,
} from "../../coordination/git/workspace.js";

/**
 * Commits every change except to PROGRESS.md and locks/ — those belong to the protocol, and an
 * agent's stray edit to them must not ride along into the done-commit. Returns whether anything
 * was committed and which `.gitattributes` lines were stripped. The workspace is left clean. `.gitattributes` lines the agent added that give
 * gitswarm's own files a driver are stripped first, and the commit message says which.
 */
export async function commitWork(
  ws: Workspace,
  taskId: string,
  agent: string,
): Promise<{ committed: boolean; stripped: string[] }> {
  const stripped = await stripAgentDrivers(ws);
  // The landing merges PROGRESS.md in this clone: our driver, whatever the agent did to info/attributes.
  await pinAttributes(ws.git);
  await ws.git.run([
    "add",
    "--all",
    "--",
    ".",
    ":(exclude)PROGRESS.md",
    ":(exclude)locks",
  ]);
  const staged = await ws.git.tryRun(["diff", "--cached", "--quiet"]);
  let committed = false;
  if (!staged.ok) {
    const message = renderCommitMessage({
      subject: `work: ${taskId} (${agent})`,
      task: taskId,
      agent,
      ...(stripped.length > 0
        ? {
            body: strippedNote(stripped),
          }
        : {}),
    });
    await ws.git.run(["commit", "--quiet", "--no-verify", "-F", "-"], {
      input: message,
    });
    committed = true;
  }
  await ws.git.run(["reset", "--quiet", "--hard"]);
  await ws.git.run(["clean", "--quiet", "-fd"]);
  return { committed, stripped };
}

/** The note a done-commit carries when the agent's `.gitattributes` lines were stripped ("" when none). */
export function strippedNote(stripped: readonly string[]): string {
  if (stripped.length === 0) return "";
  return `gitswarm stripped these .gitattributes lines (drivers for files gitswarm owns):\n${stripped.join("\n")}`;
}

/** Strips the driver lines the agent added to `.gitattributes` (main's own lines stay); returns them. */
async function stripAgentDrivers(ws: Workspace): Promise<string[]> {
  const file = path.join(ws.dir, ".gitattributes");
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return [];
  const main = await ws.git.tryRun([
    "show",
    `${trackingRef(ws)}:.gitattributes`,
  ]);
  const result = stripDriverLines(text, main.ok ? main.stdout : "");
  if (result.stripped.length > 0) await writeFile(file, result.text);
  return result.stripped;
}
