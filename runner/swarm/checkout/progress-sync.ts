/**
 * Live human edits: the user's own PROGRESS.md and the hub's stay in step while the swarm runs.
 * A human edit (seen by chokidar within a moment, or by the periodic tick) is merged into the hub
 * with the structural three-way merge, base = the last text both sides agreed on; the hub's changes
 * (check-offs, notes, blocks) are written back into the user's file — but only if the human has not
 * typed anything since it was read, so nothing the human typed is ever overwritten. The file is
 * replaced atomically (coordination/base/atomic-file.ts): a reader never sees it empty or half
 * written. An edit that looks like an accident (a half-written save, a stale editor buffer, most
 * tasks gone) is held, not pushed, until the human confirms it (runner/swarm/checkout/progress-hold.ts).
 */
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import { buildCommit } from "../../../coordination/git/commit-builder.js";
import { PROGRESS_FILE } from "../../../coordination/state/hub-view.js";
import { updateMain } from "../../../coordination/protocol/main-update.js";
import { mergeProgress } from "../../../coordination/progress/merge.js";
import { parseProgress } from "../../../coordination/progress/parse.js";
import { validateProgress } from "../../../coordination/progress/validate.js";
import { renderCommitMessage } from "../../../coordination/git/trailers.js";
import {
  fetchMain,
  type Workspace,
} from "../../../coordination/git/workspace.js";
import { readObjects, entryText } from "../../../coordination/git/cat-file.js";
import type { EventInput } from "../../../coordination/base/events.js";
import {
  contentHash,
  readFileSettled,
  writeFileAtomic,
} from "../../../coordination/base/atomic-file.js";
import {
  reviewEdit,
  type EditReview,
} from "../../../coordination/progress/review/edit-review.js";
import {
  applyReopens,
  reopenedBlocked,
  reopenRequests,
} from "../../../coordination/progress/review/reopen.js";
import { carryRenamedClaims } from "./carry-renames.js";
import { addTaskNote } from "../../../coordination/progress/edit.js";
import { readTaskView } from "../../../coordination/state/hub-view.js";
import { clearHeldEdit, isAccepted, recordHeldEdit } from "./progress-hold.js";
import { TaskCountWatch } from "./task-count.js";

type HumanPush = { held: EditReview } | { text: string };

export class ProgressSync {
  private base: string;
  private running: Promise<void> = Promise.resolve();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastProblem = "";
  private readonly file: string;
  private heldHash = "";
  private readonly counts: TaskCountWatch;

  /** `base` is the PROGRESS.md both sides start from (the user's committed version). */
  constructor(
    private readonly repoDir: string,
    private readonly ws: Workspace,
    private readonly human: string,
    base: string,
    private readonly emit: (event: EventInput) => void,
  ) {
    this.file = path.join(repoDir, PROGRESS_FILE);
    this.base = base;
    this.counts = new TaskCountWatch(base, emit);
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
    const userText = await readFileSettled(this.file);
    if (userText !== this.base) {
      const theirs = parseProgress(userText, PROGRESS_FILE);
      const problems = validateProgress(theirs);
      if (problems.length > 0) {
        // A half-written save rarely validates: say what it most likely is, not just the bad line.
        const base = parseProgress(this.base, PROGRESS_FILE);
        const review = reviewEdit(base, theirs, base);
        if (review.hold && !(await isAccepted(this.repoDir, userText)))
          return this.hold(userText, review);
        const message = `${PROGRESS_FILE}:${problems[0]?.line}: ${problems[0]?.message} — your edit is not sent to the swarm until this is fixed`;
        if (message !== this.lastProblem) this.emit({ type: "error", message });
        this.lastProblem = message;
        return;
      }
      const pushed = await this.pushHumanEdit(userText);
      if ("held" in pushed) return this.hold(userText, pushed.held);
      this.counts.see(pushed.text);
      await carryRenamedClaims(
        this.ws,
        parseProgress(this.base, PROGRESS_FILE),
        parseProgress(pushed.text, PROGRESS_FILE),
        this.emit,
      );
      if (this.heldHash !== "") await clearHeldEdit(this.repoDir);
      this.heldHash = "";
      // Not written back (typed again meanwhile): the file still derives from what was sent, so
      // that is the base the next edit merges from — the hub's check-offs come back next time.
      const written = await this.writeIfUnchanged(userText, pushed.text);
      this.base = written ? pushed.text : userText;
      return;
    }
    if (this.heldHash !== "") {
      // The human put the file back as it was: nothing is held any more.
      this.heldHash = "";
      await clearHeldEdit(this.repoDir);
    }
    await fetchMain(this.ws);
    const hubText = await this.hubProgress();
    if (hubText !== undefined) this.counts.see(hubText);
    if (
      hubText !== undefined &&
      hubText !== this.base &&
      (await this.writeIfUnchanged(userText, hubText))
    )
      this.base = hubText;
  }

  /** Says once per held text what looked wrong and how to confirm it; records it for `progress accept`. */
  private async hold(userText: string, review: EditReview): Promise<void> {
    const hash = contentHash(userText);
    if (hash === this.heldHash) return;
    this.heldHash = hash;
    await recordHeldEdit(this.repoDir, {
      hash,
      at: new Date().toISOString(),
      findings: review.findings,
    });
    const why = review.findings.map((f) => `  - ${f.message}`).join("\n");
    this.emit({
      type: "progress-sync",
      source: "held",
      message: `your edit of ${PROGRESS_FILE} is held, not sent to the swarm, because\n${why}\nIf you meant it, run 'gitswarm progress accept --repo ${this.repoDir}'; otherwise fix the file and save it again.`,
    });
  }

  /**
   * Merges the human's text into the hub's main (a CAS loop like every other write), unless the
   * edit looks like an accident and the human has not confirmed this exact text.
   */
  private async pushHumanEdit(userText: string): Promise<HumanPush> {
    const accepted = await isAccepted(this.repoDir, userText);
    const who = this.human;
    return updateMain<HumanPush>(this.ws, undefined, async (view) => {
      const hubText = view.progress?.source ?? "";
      const theirsDoc = parseProgress(userText, PROGRESS_FILE);
      if (!accepted) {
        const review = reviewEdit(
          parseProgress(this.base, PROGRESS_FILE),
          theirsDoc,
          parseProgress(hubText, PROGRESS_FILE),
        );
        if (review.hold) return { stop: { held: review } };
      }
      const day = new Date().toISOString().slice(0, 10);
      const theirs = applyReopens(theirsDoc, {
        who,
        day,
        branches: await this.earlierBranches(reopenRequests(theirsDoc)),
      });
      const merged = mergeProgress(this.base, hubText, theirs);
      if (!merged.ok)
        throw new Error(
          `cannot merge your PROGRESS.md with the hub's (${merged.reason}); fix it and save again`,
        );
      const text = await this.noteUnblocked(hubText, merged.text, day, [
        ...reopenRequests(theirsDoc),
      ]);
      if (text === hubText) return { stop: { text } };
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
          return { text };
        },
      };
    });
  }

  /**
   * A blocked task reopened by deleting its `blocked:` line gets the same note as the `reopen:`
   * form: who, when, and the branch the blocked attempt's work stays on.
   */
  private async noteUnblocked(
    hubText: string,
    merged: string,
    day: string,
    noted: string[],
  ): Promise<string> {
    const ids = reopenedBlocked(parseProgress(hubText), merged).filter(
      (id) => !noted.includes(id),
    );
    const branches = await this.earlierBranches(ids);
    let text = merged;
    for (const id of ids) {
      const branch = branches.get(id);
      text = addTaskNote(
        parseProgress(text, PROGRESS_FILE),
        id,
        `reopened by ${this.human} on ${day}${branch ? ` (earlier work kept on branch ${branch})` : ""}`,
      );
    }
    return text;
  }

  /** The work branch of each task's last ended claim (read off its task ref), to name in its reopen note. */
  private async earlierBranches(ids: string[]): Promise<Map<string, string>> {
    const branches = new Map<string, string>();
    for (const id of ids) {
      const view = await readTaskView(this.ws, id);
      const branch = view.taskRef?.marker?.branch;
      if (branch !== undefined) branches.set(id, branch);
    }
    return branches;
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
    const written = await writeFileAtomic(this.file, next, {
      expect: expected,
    });
    return written.written;
  }
}
