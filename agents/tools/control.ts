/** Tools that steer the loop: `finish`, `give_up`, and `run_oracle_sample` (the runner's per-agent oracle sample). */
import { truncateOutput } from "./truncate.js";
import { spec, toolError, type Tool } from "./tool.js";

/** `finish`: the task is done; the summary goes into the commit and PROGRESS.md. */
export const finishTool: Tool = {
  spec: spec(
    "finish",
    "Call when the task is complete and verified. Ends the session.",
    {
      summary: {
        type: "string",
        description: "one or two sentences on what was done",
      },
    },
    ["summary"],
  ),
  async run(args) {
    const summary =
      typeof args.summary === "string" && args.summary.trim() !== ""
        ? args.summary.trim()
        : "finished";
    return {
      content: "ok",
      isError: false,
      control: { kind: "finish", summary },
    };
  },
};

/** `give_up`: the task cannot be done now; the reason is recorded for the next attempt. */
export const giveUpTool: Tool = {
  spec: spec(
    "give_up",
    "Call when the task cannot be completed; explain why so the next attempt can do better.",
    {
      reason: { type: "string", description: "why, and what would unblock it" },
    },
    ["reason"],
  ),
  async run(args) {
    const reason =
      typeof args.reason === "string" && args.reason.trim() !== ""
        ? args.reason.trim()
        : "no reason given";
    return {
      content: "ok",
      isError: false,
      control: { kind: "give-up", reason },
    };
  },
};

/** `run_oracle_sample`: runs the oracle sample the runner provided and returns its summary. */
export const oracleSampleTool: Tool = {
  spec: spec(
    "run_oracle_sample",
    "Run a fast sample of the oracle tests (the merge gate) and see which cases fail.",
    {},
    [],
  ),
  async run(_args, context) {
    if (context.oracleSample === undefined)
      return toolError("no oracle is configured for this run");
    try {
      const out = truncateOutput(
        await context.oracleSample(),
        context.maxOutputChars,
        "fix the first failures, then run it again",
      );
      return { content: out.text, isError: false, truncated: out.truncated };
    } catch (error) {
      return toolError(
        `the oracle sample failed to run: ${(error as Error).message}`,
      );
    }
  },
};
