/** Commits what an agent left in its workspace as a work commit on its branch. */
import { renderCommitMessage } from "../../coordination/git/trailers.js";
import type { Workspace } from "../../coordination/git/workspace.js";

/**
 * Commits every change except to PROGRESS.md and locks/ — those belong to the protocol, and an
 * agent's stray edit to them must not ride along into the done-commit. Returns whether anything
 * was committed. The workspace is left clean.
 */
export async function commitWork(
  ws: Workspace,
  taskId: string,
  agent: string,
): Promise<boolean> {
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
    });
    await ws.git.run(["commit", "--quiet", "--no-verify", "-F", "-"], {
      input: message,
    });
    committed = true;
  }
  await ws.git.run(["reset", "--quiet", "--hard"]);
  await ws.git.run(["clean", "--quiet", "-fd"]);
  return committed;
}
