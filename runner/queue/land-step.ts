/**
 * The lander's landing step and its events: a gated chain (or its green prefix) landed by one
 * atomic push, reported as `land` and one `done` per task, or as `fenced` when the hub refused it.
 */
import type { EventInput } from "../../coordination/base/events.js";
import type { FileChange } from "../../coordination/git/commit-builder.js";
import type { Workspace } from "../../coordination/git/workspace.js";
import type { Task } from "../../coordination/progress/task.js";
import type { HubView } from "../../coordination/state/hub-view.js";
import {
  landChain,
  type Chain,
  type ChainStep,
} from "../../coordination/queue/land-batch.js";
import type { BatchVerdict } from "./batch-gate.js";
import { crashPoint } from "./crash-point.js";

/** What a landing step needs of the lander. */
export interface LandStepContext {
  ws: Workspace;
  name: string;
  emit: (event: EventInput) => void;
  signal: AbortSignal;
}

/** Lands `steps` of `chain` with the gate's `changes`; the head main moved to, or undefined when refused. */
export async function landSteps(
  ctx: LandStepContext,
  chain: Chain,
  steps: readonly ChainStep[],
  changes: readonly FileChange[],
): Promise<string | undefined> {
  const { emit } = ctx;
  const head = steps.at(-1)?.commit ?? chain.head;
  crashPoint("push");
  const started = Date.now();
  const landed = await landChain(
    ctx.ws,
    { ...chain, head, steps: [...steps] },
    changes,
    ctx.signal,
  );
  const ids = steps.map((s) => s.item.entry.task);
  if (landed.outcome === "rejected") {
    emit(
      queueEvent(
        ctx,
        "fenced",
        `not landed, main or a task ref moved (re-read next turn): ${landed.detail}`,
        { tasks: ids },
      ),
    );
    return undefined;
  }
  crashPoint("landed");
  const now = Date.now();
  emit(
    queueEvent(
      ctx,
      "land",
      `landed ${ids.length} in one push: ${ids.join(", ")}`,
      {
        tasks: ids,
        commit: landed.head,
        ms: { push: Date.now() - started },
        waitMs: steps.map((s) =>
          Math.max(0, now - Date.parse(s.item.entry.queuedAt)),
        ),
      },
    ),
  );
  steps.forEach((step, i) =>
    emit({
      type: "done",
      agent: step.item.entry.agent,
      task: step.item.entry.task,
      commit: landed.commits[i] ?? landed.head,
      costUsd: 0,
      attempt: step.item.lock.attempt,
    }),
  );
  return landed.head;
}

/** The tasks of `steps` as PROGRESS.md in `view` has them (each's own `cases:` gate its batch). */
export function stepTasks(
  view: Pick<HubView, "progress">,
  steps: readonly ChainStep[],
): Task[] {
  return steps.flatMap((s) => {
    const task = view.progress?.tasks.find((t) => t.id === s.item.entry.task);
    return task ? [task] : [];
  });
}

/** A verdict in words, for the events. */
export function describe(verdict: BatchVerdict): string {
  return verdict.ok
    ? `green (${verdict.passed} passed${verdict.raised > 0 ? `, ${verdict.raised} newly passing` : ""})`
    : `red: ${verdict.reason}`;
}

/** What a `queue` event carries besides its phase and detail. */
export type QueueEventExtra = Omit<
  Extract<EventInput, { type: "queue" }>,
  "type" | "agent" | "phase" | "detail"
>;

/** A `queue` event from the lander. */
export function queueEvent(
  ctx: Pick<LandStepContext, "name">,
  phase: string,
  detail: string,
  extra: QueueEventExtra = {},
): EventInput {
  return { type: "queue", agent: ctx.name, phase, detail, ...extra };
}
