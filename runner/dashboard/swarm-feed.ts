/**
 * The dashboard's live source: polls the latest run's event log (cheap, every few hundred ms) and
 * re-reads the hub (a fetch) whenever the log moved or a second has passed, and tells subscribers
 * each time the snapshot changes. A hub that cannot be read leaves the last good state shown,
 * with the problem in words.
 */
import path from "node:path";
import type { SwarmEvent } from "../../coordination/base/events.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import {
  readSwarmState,
  type SwarmState,
} from "../../coordination/protocol/swarm-state.js";
import { findRunDir, readSince } from "../logs/read-agent-log.js";
import { readControl } from "../control/control-file.js";
import { activeRun } from "../swarm/run-lock.js";
import { parseEventLog } from "../swarm/run-summary.js";
import { buildSnapshot } from "./snapshot.js";
import { foldRun } from "./run-fold.js";
import type { DashboardSnapshot } from "./snapshot-types.js";

/** Where the feed reads from. */
export interface FeedSource {
  repoDir: string;
  /** A clone that reaches the hub; undefined before there is one (the board stays empty). */
  ws: Workspace | undefined;
  pollMs?: number;
  /** Re-read the hub at least this often even when the log is quiet (default 1000 ms). */
  hubEveryMs?: number;
}

/** The live snapshot and its subscribers. */
export class SwarmFeed {
  private runDir: string | undefined;
  private offset = 0;
  private events: SwarmEvent[] = [];
  private state: SwarmState | undefined;
  private problem: string | null = null;
  /** Whether a run is live in this checkout, and whether it is paused (its control file). */
  private live = false;
  private paused = false;
  private lastHubRead = 0;
  private busy = false;
  /** When the state now shown was read (its fetch began). */
  private stateReadAt: number | undefined;
  private snapshot: DashboardSnapshot;
  private text = "";
  private readonly listeners = new Set<(s: DashboardSnapshot) => void>();
  private readonly controller = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly source: FeedSource) {
    this.snapshot = this.build();
  }

  /** The latest snapshot. */
  current(): DashboardSnapshot {
    return this.snapshot;
  }

  /** The latest run's directory, if any run has started. */
  currentRunDir(): string | undefined {
    return this.runDir;
  }

  /** The hub's state as last read (undefined before a hub could be read). */
  currentState(): SwarmState | undefined {
    return this.state;
  }

  /** The events of the latest run read so far. */
  runEvents(): readonly SwarmEvent[] {
    return this.events;
  }

  /** Calls `listener` on every change; returns the unsubscribe. */
  subscribe(listener: (s: DashboardSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads once now (before the first page is served), then keeps polling. */
  async start(): Promise<void> {
    await this.refresh(true);
    this.loop = this.run();
  }

  /** Re-reads the hub now (after an action, so its effect shows at once). */
  async refreshNow(): Promise<void> {
    await this.refresh(true);
  }

  /** Reads the event log now (the runner's own dashboard calls it on every event it logs). */
  poke(): void {
    if (!this.busy) void this.refresh(false);
  }

  /** Stops polling. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      await new Promise((resolve) =>
        setTimeout(resolve, this.source.pollMs ?? 200),
      );
      if (signal.aborted) return;
      await this.refresh(false);
    }
  }

  private async refresh(forceHub: boolean): Promise<void> {
    this.busy = true;
    try {
      await this.refreshOnce(forceHub);
    } finally {
      this.busy = false;
    }
  }

  private async refreshOnce(forceHub: boolean): Promise<void> {
    const moved = await this.readEvents();
    this.live = (await activeRun(this.source.repoDir)) !== undefined;
    this.paused =
      this.live &&
      this.runDir !== undefined &&
      (await readControl(this.runDir)).paused;
    // What the log says goes out first: a hub read (a fetch) can take a second on a busy machine.
    if (moved) this.publish();
    const due =
      Date.now() - this.lastHubRead >= (this.source.hubEveryMs ?? 1000);
    if (this.source.ws !== undefined && (forceHub || moved || due)) {
      const started = Date.now();
      this.lastHubRead = started;
      try {
        this.state = await readSwarmState(this.source.ws, {
          signal: this.controller.signal,
        });
        this.stateReadAt = started;
        this.problem = null;
      } catch (error) {
        if (this.controller.signal.aborted) return;
        this.problem = `could not read the hub: ${(error as Error).message.split("\n")[0]}`;
      }
    }
    this.publish();
  }

  private publish(): void {
    this.snapshot = this.build();
    const text = JSON.stringify(this.snapshot);
    if (text === this.text) return;
    this.text = text;
    for (const listener of this.listeners) listener(this.snapshot);
  }

  /** Reads what the event log gained; true when it moved (or a new run started). */
  private async readEvents(): Promise<boolean> {
    const runDir = await findRunDir(this.source.repoDir);
    let moved = false;
    if (runDir !== this.runDir) {
      this.runDir = runDir;
      this.offset = 0;
      this.events = [];
      moved = true;
    }
    if (runDir === undefined) return moved;
    const next = await readSince(
      path.join(runDir, "events.jsonl"),
      this.offset,
    );
    this.offset = next.offset;
    if (next.text === "") return moved;
    this.events.push(...parseEventLog(next.text));
    return true;
  }

  private build(): DashboardSnapshot {
    const runId = this.runDir === undefined ? null : path.basename(this.runDir);
    return buildSnapshot(this.state, foldRun(runId, this.events), {
      problem: this.problem,
      live: this.live,
      paused: this.paused,
      hubReadAt: this.stateReadAt,
    });
  }
}
