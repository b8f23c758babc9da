/**
 * Live human edits: the user's own PROGRESS.md and the hub's stay in step while the swarm runs.
 * A human edit (seen by chokidar within a moment, or by the periodic tick) is merged into the hub
 * with the structural three-way merge, base = the last text both sides agreed on; the hub's changes
 * (check-offs, notes, blocks) are written back into the user's file — but only if the human has not
 * typed anything since it was read, so nothing the human typed is ever overwritten.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { buildCommit } from "../../coordination/git/commit-builder.js";
import { PROGRESS_FILE } from "../../coordination/state/hub-view.js";
import { updateMain } from "../../coordination/protocol/main-update.js";
import { mergeProgress } from "../../coordination/progress/merge.js";
import { parseProgress } from "../../coordination/progress/parse.js";
import { validateProgress } from "../../coordination/progress/validate.js";
import { renderCommitMessage } from "../../coordination/git/trailers.js";
import { fetchMain, type Workspace } from "../../coordination/git/workspace.js";
import { readObjects, entryText } from "../../coordination/git/cat-file.js";
import type { EventInput } from "../../coordination/base/events.js";

export class ProgressSync {
  private base: string;
  private running: Promise<void> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastProblem = "";
  private readonly file: string;

  /** `base` is the PROGRESS.md both sides start from (the user's committed version). */
  constructor(
    repoDir: string,
    private readonly ws: Workspace,
    private readonly human: string,
    base: string,
    private readonly emit: (event: EventInput) => void,
  ) {
    this.file = path.join(repoDir, PROGRESS_FILE);
    this.base = base;
  }

  /** Starts watching the user's file and ticking every `everyMs`. */
  start(everyMs = 2_000): void {
    this.watcher = watch(this.file, {
      ignoreInitial: true,
      awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 },
    });
    this.watcher.on("change", () => void this.sync());
    const tick = () => {
      this.timer = setTimeout(() => void this.sync().finally(tick), everyMs);
    };
    tick();
  }

  /** Stops watching and runs one last sync. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.watcher?.close();
    await this.sync();
  }

  /** One sync, serialised with any running one. Never throws: problems become events. */
  sync(): Promise<void> {
    this.running = this.running
      .then(() => this.syncOnce())
      .catch((error: Error) =>
        this.emit({
          type: "error",
          message: `PROGRESS.md sync: ${error.message}`,
        }),
      );
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    const userText = await readFile(this.file, "utf8");
    if (userText !== this.base) {
      const problems = validateProgress(parseProgress(userText, PROGRESS_FILE));
      if (problems.length > 0) {
        const message = `${PROGRESS_FILE}:${problems[0]?.line}: ${problems[0]?.message} — your edit is not sent to the swarm until this is fixed`;
        if (message !== this.lastProblem) this.emit({ type: "error", message });
        this.lastProblem = message;
        return;
      }
      const merged = await this.pushHumanEdit(userText);
      await this.writeIfUnchanged(userText, merged);
      this.base = merged;
      return;
    }
    await fetchMain(this.ws);
    const hubText = await this.hubProgress();
    if (
      hubText !== undefined &&
      hubText !== this.base &&
      (await this.writeIfUnchanged(userText, hubText))
    )
      this.base = hubText;
  }

  /** Merges the human's text into the hub's main (a CAS loop like every other write). */
  private pushHumanEdit(userText: string): Promise<string> {
    return updateMain<string>(this.ws, undefined, async (view) => {
      const hubText = view.progress?.source ?? "";
      const merged = mergeProgress(this.base, hubText, userText);
      if (!merged.ok)
        throw new Error(
          `cannot merge your PROGRESS.md with the hub's (${merged.reason}); fix it and save again`,
        );
      const text = merged.text;
      if (text === hubText) return { stop: text };
      const message = renderCommitMessage({
        action: "progress",
        subject: `progress: edit by ${this.human}`,
        agent: this.human,
      });
      const commit = await buildCommit(this.ws.git, {
        base: view.tip,
        parents: [view.tip],
        changes: [{ path: PROGRESS_FILE, content: text }],
        message,
      });
      return {
        push: commit,
        onLanded: (landed: string) => {
          this.emit({ type: "progress-sync", source: "human", commit: landed });
          return text;
        },
      };
    });
  }

  private async hubProgress(): Promise<string | undefined> {
    const [entry] = await readObjects(this.ws.git, [
      `refs/remotes/${this.ws.remote}/${this.ws.branch}:${PROGRESS_FILE}`,
    ]);
    return entryText(entry);
  }

  /** Writes `next` unless the file changed since it read `expected` (the human is typing). */
  private async writeIfUnchanged(
    expected: string,
    next: string,
  ): Promise<boolean> {
    if (expected === next) return true;
    const current = await readFile(this.file, "utf8");
    if (current !== expected) return false;
    await writeFile(this.file, next);
    return true;
  }
}
