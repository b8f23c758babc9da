/**
 * Speculative gating, as in Zuul's dependent pipelines: while the lander gates a batch, it gates
 * the entries queued behind it too, merged on top of that batch's chain, in a second checkout of
 * its clone (a linked worktree, so the chain's objects are shared). The two oracle runs overlap
 * instead of following each other. The speculative batch lands only after the batch below it
 * landed green: judged against the baseline that batch raised, moved onto what landed (its trees
 * unchanged but for the baseline file the lander owns), and landed by its own atomic push. Anything
 * else (the batch below red or not landed, its own run red) drops it unblamed: its entries wait for
 * the next turn as if it had not run. Nothing reaches the hub before that push, so a lander killed
 * anywhere loses nothing to it.
 */
import { entryText, readObjects } from "../../coordination/git/cat-file.js";
import {
  buildCommit,
  type FileChange,
} from "../../coordination/git/commit-builder.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { Task } from "../../coordination/progress/task.js";
import {
  buildChain,
  type Chain,
  type ChainStep,
} from "../../coordination/queue/land-batch.js";
import {
  readQueue,
  type QueueView,
} from "../../coordination/queue/read-queue.js";
import {
  BASELINE_PATH,
  type Baseline,
  type OracleConfig,
  type OracleReport,
} from "../../oracle/index.js";
import { checkoutGateTree, judgeReport, runGateOracle } from "./batch-gate.js";
import { crashPoint } from "./crash-point.js";
import type { Arrivals } from "./hub-arrivals.js";
import { describe, stepTasks, type QueueEventExtra } from "./land-step.js";
import { speculativeTree } from "./speculative-tree.js";

/** A speculative batch in flight. */
export interface Speculation {
  /** The entries merged on top of the batch below. */
  chain: Chain;
  /** Their tasks, from the read the speculation was built on. */
  tasks: Task[];
  /** The oracle's report on the chain's head; undefined when it did not finish (stopped, erred). */
  report: Promise<OracleReport | undefined>;
  /** Stops its oracle run. */
  stop(): void;
}

/** What speculation needs of the lander. */
export interface SpeculationContext {
  ws: Workspace;
  oracle?: OracleConfig;
  signal: AbortSignal;
  note: (phase: string, detail: string, extra?: QueueEventExtra) => void;
}

/**
 * Starts gating `items` on top of `below` (the batch being gated). Undefined when there is nothing
 * to speculate on: no oracle (every tree is green at once), no items, none that merges, or `until`
 * (the batch below has its verdict) came first.
 */
export async function startSpeculation(
  ctx: SpeculationContext,
  view: QueueView["view"],
  below: Chain,
  items: QueueView["items"],
  until?: AbortSignal,
): Promise<Speculation | undefined> {
  const { oracle } = ctx;
  if (oracle?.candidate === undefined || items.length === 0) return undefined;
  const chain = await buildChain(ctx.ws, { ...view, tip: below.head }, items, [
    BASELINE_PATH,
  ]);
  if (chain.steps.length === 0) return undefined;
  const tree = await speculativeTree(ctx.ws);
  // The batch below has its verdict already: too late to be of use.
  if (until?.aborted) return undefined;
  const stopped = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stopped.signal]);
  const report = (async () => {
    await checkoutGateTree(tree, chain.head);
    const result = await runGateOracle(
      tree,
      oracle,
      oracle.candidateInputs.length > 0,
      signal,
    );
    return signal.aborted ? undefined : result;
  })().catch(() => undefined);
  const ids = idsOf(chain);
  ctx.note(
    "speculate",
    `also gating ${ids.length} on top of it, speculatively: ${ids.join(", ")}`,
    { tasks: ids },
  );
  return {
    chain,
    tasks: stepTasks(view, chain.steps),
    report,
    stop: () => stopped.abort(),
  };
}

/** The speculation behind one batch: started at once, or when entries arrive during its gate. */
export interface Behind {
  /**
   * Called once the batch below has its verdict: no speculation starts after it. Resolves to the
   * speculation in flight, if any, once nothing of it touches the lander's clone any more (a late
   * read of the queue must not race the landing push).
   */
  settled(): Promise<Speculation | undefined>;
}

/**
 * Speculates behind `below`: on the entries that already wait beyond it (`waiting`), or, when none
 * do, on those that arrive while it is gated (`arrivals` resolves true when this runner's agents
 * enqueue or the hub's queue gains a ref, false when its signal says the verdict is in). Without
 * that, the first entry of a burst is gated alone and the rest wait a whole gate. `sizeFor(n)`:
 * how many of n waiting it takes.
 */
export function speculateBehind(
  ctx: SpeculationContext,
  options: {
    view: QueueView["view"];
    below: Chain;
    waiting: QueueView["items"];
    sizeFor: (waiting: number) => number;
    arrivals?: Arrivals;
    /** When the queue was read: entries enqueued since are news. */
    since: number;
    /**
     * The time by which a late speculation must have started its oracle run (half the last gate's
     * length from this one's start): one that starts later ends well after the batch below, and the
     * turn would wait for it while the entries that came meanwhile could have gone in the next.
     */
    lateBy?: number;
  },
): Behind {
  const { below, sizeFor, arrivals, lateBy } = options;
  const verdict = new AbortController();
  const until =
    lateBy === undefined
      ? verdict.signal
      : AbortSignal.any([
          verdict.signal,
          AbortSignal.timeout(Math.max(0, Math.floor(lateBy - Date.now()))),
        ]);
  const taken = new Set(
    [
      ...below.steps.map((s) => s.item),
      ...below.conflicts.map((c) => c.item),
      ...below.gone,
    ].map((item) => item.entry.claimId),
  );
  // What arrived may not be the lander's yet (work parked for a human): then it listens again.
  const late = async (): Promise<Speculation | undefined> => {
    let since = options.since;
    for (;;) {
      if (arrivals === undefined || !(await arrivals(until, since)))
        return undefined;
      since = Date.now();
      const queue = await readQueue(ctx.ws, { signal: ctx.signal });
      if (queue === undefined || until.aborted) return undefined;
      const items = queue.items.filter((i) => !taken.has(i.entry.claimId));
      if (items.length > 0)
        return startSpeculation(
          ctx,
          queue.view,
          below,
          items.slice(0, sizeFor(items.length)),
          until,
        );
    }
  };
  const started = (
    options.waiting.length > 0
      ? startSpeculation(
          ctx,
          options.view,
          below,
          options.waiting.slice(0, sizeFor(options.waiting.length)),
        )
      : late()
  ).catch((error: Error) => {
    ctx.note("speculate-dropped", `no speculative batch: ${error.message}`);
    return undefined;
  });
  return {
    settled() {
      verdict.abort();
      return started;
    },
  };
}

/**
 * Ends a speculation once the batch below it is settled. `landed`: that batch's landed head and
 * the baseline it carries; undefined when it did not land (the speculation is dropped). Returns the
 * chain to land, moved onto the landed head, and the baseline change it lands with; undefined when
 * dropped.
 */
export async function settleSpeculation(
  ctx: SpeculationContext,
  spec: Speculation,
  landed: { head: string; baseline: Baseline } | undefined,
): Promise<{ chain: Chain; changes: FileChange[] } | undefined> {
  const ids = idsOf(spec.chain);
  if (landed === undefined) spec.stop();
  const report = await spec.report;
  const drop = (why: string) => {
    ctx.note("speculate-dropped", `${ids.join(", ")}: ${why}`, {
      tasks: ids,
      oracleRuns: report === undefined ? 0 : 1,
    });
    return undefined;
  };
  if (landed === undefined)
    return drop("the batch below did not land; gated again next turn");
  if (report === undefined) return drop("its oracle run did not finish");
  const [entry] = await readObjects(ctx.ws.git, [
    `${landed.head}:${BASELINE_PATH}`,
  ]);
  const baselineText = entryText(entry);
  const judged = judgeReport(report, landed.baseline, baselineText, spec.tasks);
  if (!judged.ok)
    return drop(`red (${judged.reason}); gated again next turn, not blamed`);
  ctx.note(
    "batch-start",
    `gated speculatively on top of the batch before: ${ids.join(", ")}`,
    { tasks: ids },
  );
  ctx.note("batch-result", describe({ ...judged, runs: 1 }), {
    tasks: ids,
    ok: true,
    oracleRuns: 1,
  });
  const chain = await moveChain(ctx.ws, spec.chain, landed.head, baselineText);
  crashPoint("speculated");
  return { chain, changes: judged.changes };
}

/**
 * The chain moved onto `head`, the landed batch below: each step keeps its tree but for the
 * baseline file, which takes `baselineText`, the landed one. That is exactly what merging the
 * entries again onto `head` would give: the landed head differs from the chain's base only in the
 * baseline (the gate's change folded into its last commit), and the chain never changes the
 * baseline of its base. So main still moves only to gated trees. One fast-import per step, no merge.
 */
async function moveChain(
  ws: Workspace,
  chain: Chain,
  head: string,
  baselineText: string | undefined,
): Promise<Chain> {
  const trees = (
    await ws.git.run([
      "rev-parse",
      ...chain.steps.map((step) => `${step.commit}^{tree}`),
    ])
  )
    .split("\n")
    .filter(Boolean);
  const baseline: FileChange =
    baselineText === undefined
      ? { path: BASELINE_PATH, remove: true }
      : { path: BASELINE_PATH, content: baselineText };
  const steps: ChainStep[] = [];
  let parent = head;
  for (const [i, step] of chain.steps.entries()) {
    const tree = trees[i];
    if (tree === undefined)
      throw new Error(`git rev-parse printed no tree for ${step.commit}`);
    const commit = await buildCommit(ws.git, {
      base: tree,
      baseTree: true,
      parents: [parent],
      changes: [baseline],
      message: step.message,
    });
    steps.push({ ...step, commit, parent });
    parent = commit;
  }
  return { tip: head, head: parent, steps, conflicts: [], gone: [] };
}

function idsOf(chain: Chain): string[] {
  return chain.steps.map((s) => s.item.entry.task);
}
