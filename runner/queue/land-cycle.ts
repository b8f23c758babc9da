/**
 * One turn of the lander: read the queue from the hub, take the next batch (queue order, adaptive
 * size), merge it onto main's tip, hand back entries that conflict, release those whose task a
 * human deleted or renamed meanwhile, gate the merged tree with the full oracle ONCE, and land the
 * batch in one atomic push. A red batch is bisected (plan.ts): the
 * green prefix lands, the culprit gets a failed attempt, the rest waits for the next batch. A
 * rejected push (main moved under a human, a lock broken meanwhile) lands nothing; the next turn
 * re-reads the hub and re-merges on the new tip. With `speculate`, the entries queued behind the
 * batch are gated at the same time, on top of it (speculation.ts), and land right after it. Every
 * write is one compare-and-swap on the hub, so a lander killed anywhere leaves the queue as it was
 * or a batch landed, never half of one.
 */
import type { EventInput } from "../../coordination/base/events.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { Task } from "../../coordination/progress/task.js";
import {
  buildChain,
  pruneQueueRefs,
  type Chain,
  type ChainStep,
} from "../../coordination/queue/land-batch.js";
import {
  batchSize,
  bisectBatch,
  lingerMs,
  nextBatchLimit,
  type BatchLimits,
} from "../../coordination/queue/plan.js";
import { readQueue } from "../../coordination/queue/read-queue.js";
import {
  BASELINE_PATH,
  type Baseline,
  type OracleConfig,
} from "../../oracle/index.js";
import { gateBatch, type BatchVerdict } from "./batch-gate.js";
import { crashPoint } from "./crash-point.js";
import { bounceQueued, failQueued, releaseGone } from "./hand-back.js";
import { anyArrival, hubArrivals, type Arrivals } from "./hub-arrivals.js";
import { describe, landSteps, queueEvent, stepTasks } from "./land-step.js";
import {
  settleSpeculation,
  speculateBehind,
  type Behind,
  type SpeculationContext,
} from "./speculation.js";

/**
 * What a lander needs for its turns. `state.limit` is the adaptive batch limit, kept between turns;
 * `state.drain` gates whatever waits at once, never waiting for `limits.min` (a run that is
 * finishing, `gitswarm land`).
 */
export interface LanderContext {
  ws: Workspace;
  name: string;
  oracle?: OracleConfig;
  limits: BatchLimits;
  maxAttempts: number;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
  state: LanderState;
  /** Gate the entries behind a batch at the same time, on top of it (speculation.ts). */
  speculate?: boolean;
  /** Resolves true once this runner's agents enqueued after `since`, false once `until` aborts (schedule.ts). */
  arrivals?: Arrivals;
  /** How often to look at the hub for entries enqueued elsewhere while a batch is gated (hub-arrivals.ts). */
  pollMs?: number;
}

/** What a lander keeps between turns (see {@link LanderContext}). */
export interface LanderState {
  limit: number;
  drain?: boolean;
  /** How long the last batch's gate took (ms): a late speculation must start within half of it. */
  gateMs?: number;
}

/**
 * `empty`: nothing waits; `worked`: something changed (or was tried), look again at once;
 * `{ lingerMs }`: fewer than `min` wait: look again after that long, or when more come.
 */
export type TurnResult = "empty" | "worked" | { lingerMs: number };

/** Runs one turn. */
export async function landTurn(ctx: LanderContext): Promise<TurnResult> {
  const { ws, emit, signal } = ctx;
  const started = Date.now();
  const queue = await readQueue(ws, { signal });
  if (queue === undefined) return "empty";
  await pruneQueueRefs(ws, queue.orphans, signal);
  if (queue.items.length === 0) return "empty";
  const linger = ctx.state.drain
    ? 0
    : lingerMs(
        queue.items.length,
        queue.items[0]?.entry.queuedAt ?? "",
        Date.now(),
        ctx.limits,
      );
  if (linger > 0) return { lingerMs: linger };
  crashPoint("read");
  const size = batchSize(queue.items.length, ctx.state.limit, ctx.limits);
  const batch = queue.items.slice(0, size);
  const read = Date.now() - started;
  const chain = await buildChain(ws, queue.view, batch, [BASELINE_PATH]);
  const merge = Date.now() - started - read;
  crashPoint("merged");
  for (const { item, files } of chain.conflicts) {
    emit(
      queueEvent(
        ctx,
        "conflict",
        `${item.entry.task} conflicts with main in ${files.join(", ")}: handed back to rebase`,
        { task: item.entry.task },
      ),
    );
    await bounceQueued(ws, item, files, ctx.maxAttempts, emit, signal);
    crashPoint("hand-back");
  }
  for (const item of chain.gone) {
    const reason = await releaseGone(ws, item, emit, signal);
    emit(queueEvent(ctx, "gone", reason, { task: item.entry.task }));
  }
  if (chain.steps.length === 0) return "worked";
  const tasksOf = (steps: readonly ChainStep[]): Task[] =>
    stepTasks(queue.view, steps);
  const ids = chain.steps.map((s) => s.item.entry.task);
  emit(
    queueEvent(
      ctx,
      "batch-start",
      `gating ${ids.length} on ${chain.tip.slice(0, 7)}: ${ids.join(", ")}`,
      { tasks: ids, ms: { read, merge } },
    ),
  );
  // Built while the batch's gate runs: the chain is plumbing (no index, no checkout of the clone).
  const behind = ctx.speculate
    ? speculateBehind(speculationContext(ctx), {
        view: queue.view,
        below: chain,
        waiting: queue.items.slice(size),
        sizeFor: (n) => batchSize(n, ctx.state.limit, ctx.limits),
        arrivals: anyArrival([
          ctx.arrivals,
          ctx.pollMs === undefined ? undefined : hubArrivals(ws, ctx.pollMs),
        ]),
        since: started,
        lateBy:
          ctx.state.gateMs === undefined
            ? undefined
            : Date.now() + ctx.state.gateMs / 2,
      })
    : undefined;
  let landed: { head: string; baseline: Baseline } | undefined;
  try {
    landed = await gateAndLand(ctx, chain, tasksOf, behind);
  } finally {
    const spec = await behind?.settled();
    const next =
      spec && (await settleSpeculation(speculationContext(ctx), spec, landed));
    if (next) await landSteps(ctx, next.chain, next.chain.steps, next.changes);
  }
  return "worked";
}

/**
 * Gates the batch once and lands it; a red batch is bisected, its green prefix landed and its
 * culprit blamed. Returns the landed head and its baseline when the whole batch landed green (what
 * a speculative batch on top of it needs), else undefined.
 */
async function gateAndLand(
  ctx: LanderContext,
  chain: Chain,
  tasksOf: (steps: readonly ChainStep[]) => Task[],
  behind: Behind | undefined,
): Promise<{ head: string; baseline: Baseline } | undefined> {
  const { ws, emit, signal } = ctx;
  const ids = chain.steps.map((s) => s.item.entry.task);
  const gateStarted = Date.now();
  const verdict = await gateBatch(
    ws,
    chain.head,
    tasksOf(chain.steps),
    ctx.oracle,
    { retry: true, signal },
  );
  ctx.state.gateMs = Date.now() - gateStarted;
  // No speculation starts after the verdict, and a late one's read of the queue is over.
  const spec = await behind?.settled();
  if (signal.aborted) return undefined;
  emit(
    queueEvent(ctx, "batch-result", describe(verdict), {
      tasks: ids,
      ok: verdict.ok,
      oracleRuns: verdict.runs,
      ms: { gate: Date.now() - gateStarted },
    }),
  );
  if (verdict.ok && verdict.flaky.length > 0)
    emit(
      queueEvent(
        ctx,
        "flaky",
        `flaky, passed on retry (not blamed): ${verdict.flaky.join(", ")}`,
        { tasks: ids },
      ),
    );
  ctx.state.limit = nextBatchLimit(ctx.state.limit, verdict.ok, ctx.limits);
  if (verdict.ok) {
    const head = await landSteps(ctx, chain, chain.steps, verdict.changes);
    return head === undefined
      ? undefined
      : { head, baseline: verdict.baseline };
  }
  // Red: what was gated on top of this batch cannot land; its run stops now, not after the bisection.
  spec?.stop();
  const green = new Map<string, BatchVerdict>();
  const found = await bisectBatch(chain.steps, verdict, async (prefix) => {
    const head = prefix.at(-1)?.commit ?? chain.tip;
    const result = await gateBatch(ws, head, tasksOf(prefix), ctx.oracle, {
      retry: false,
      signal,
    });
    if (result.ok) green.set(head, result);
    emit(
      queueEvent(
        ctx,
        "bisect",
        `${prefix.map((s) => s.item.entry.task).join(", ")}: ${describe(result)}`,
        {
          tasks: prefix.map((s) => s.item.entry.task),
          ok: result.ok,
          oracleRuns: result.runs,
        },
      ),
    );
    crashPoint("bisect");
    return result;
  });
  if (signal.aborted) return undefined;
  const landHead = found.land.at(-1)?.commit;
  const landVerdict = landHead === undefined ? undefined : green.get(landHead);
  if (landVerdict?.ok)
    await landSteps(ctx, chain, found.land, landVerdict.changes);
  if (found.culprit !== undefined) {
    const { item } = found.culprit;
    let { result } = found.culprit;
    // Blame only a failure seen twice: a tree first judged with the cache is retried once without it.
    if (result.runs < 2) {
      const again = await gateBatch(
        ws,
        item.commit,
        tasksOf([...found.land, item]),
        ctx.oracle,
        { retry: true, signal },
      );
      if (again.ok || again.runs > 1) result = again;
      if (again.ok) {
        emit(
          queueEvent(
            ctx,
            "flaky",
            `${item.item.entry.task}: red, then green on a retry of the same tree: not blamed`,
            { task: item.item.entry.task, oracleRuns: again.runs },
          ),
        );
        return undefined;
      }
    }
    const failing = result.ok ? [] : result.failing;
    const reason = result.ok
      ? "the batch failed with it"
      : `${result.reason} (failing cases: ${failing.slice(0, 12).join(", ")})`;
    emit(
      queueEvent(ctx, "culprit", `${item.item.entry.task}: ${reason}`, {
        task: item.item.entry.task,
      }),
    );
    await failQueued(ws, item.item, reason, ctx.maxAttempts, emit, signal);
    crashPoint("culprit");
  }
  return undefined;
}

function speculationContext(ctx: LanderContext): SpeculationContext {
  return {
    ws: ctx.ws,
    oracle: ctx.oracle,
    signal: ctx.signal,
    note: (phase, detail, extra) =>
      ctx.emit(queueEvent(ctx, phase, detail, extra)),
  };
}
