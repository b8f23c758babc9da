/**
 * Which gates a piece of work passes, in order: the no-empty check, the project's command gates
 * and the oracle (in the configured order; the oracle after the commands unless placed), the AI
 * review, then the human approval. Pure: config and task in, steps out.
 */
import type { Task, TaskGates } from "../../coordination/progress/task.js";
import type { CommandGate } from "./command-gate.js";
import type { GateEntry } from "./gates-config.js";

/** One step of the pipeline. */
export type GateStep =
  | { kind: "change" }
  | { kind: "command"; gate: CommandGate }
  | { kind: "oracle" }
  | { kind: "review" }
  | { kind: "human" };

/** The gates of one task's work, in the order they run. */
export function planGates(
  entries: readonly GateEntry[],
  task: Pick<Task, "run">,
  gates: Pick<TaskGates, "emptyOk" | "human">,
  extra: { review: boolean; human: boolean } = { review: false, human: false },
): GateStep[] {
  const steps: GateStep[] = [];
  // A job's change is its result line and manifest, which the done-commit itself writes.
  if (task.run === undefined && !gates.emptyOk) steps.push({ kind: "change" });
  for (const entry of entries)
    steps.push(
      entry === "oracle"
        ? { kind: "oracle" }
        : { kind: "command", gate: entry },
    );
  if (!entries.includes("oracle")) steps.push({ kind: "oracle" });
  if (extra.review) steps.push({ kind: "review" });
  if (extra.human || gates.human) steps.push({ kind: "human" });
  return steps;
}

/** A step's name, as events and failures show it. */
export function stepName(step: GateStep): string {
  return step.kind === "command" ? step.gate.name : step.kind;
}

/** What the live view, the summary and `status` say when no oracle checks the work. */
export const UNGATED = "ungated: no oracle configured";

/** The run's gates by name, in order, as the run-start event records them (no per-task ones). */
export function configuredGateNames(
  entries: readonly GateEntry[],
  has: { oracle: boolean; review?: boolean; human?: boolean },
): string[] {
  return planGates(
    entries,
    {},
    { emptyOk: false, human: has.human ?? false },
    {
      review: has.review ?? false,
      human: false,
    },
  )
    .filter((step) => step.kind !== "oracle" || has.oracle)
    .map(stepName);
}
