/**
 * The offline demo's reviewer: calls no model. For attempt k of task T it answers with
 * `<scriptDir>/T/review-attempt-<k>.json` (a verdict as `submit_review` takes it) when that file
 * exists, else approves — so the demo shows one change requested, then the fix approved.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { emptyUsage } from "../types.js";
import { parseVerdict } from "./review-prompt.js";
import type { ReviewOutcome, ReviewRequest, Reviewer } from "./review-types.js";

/** A scripted reviewer reading prepared verdicts from `scriptDir`. */
export function createScriptedReviewer(
  name: string,
  scriptDir: string,
): Reviewer {
  return {
    name,
    kind: "scripted",
    async review(request: ReviewRequest): Promise<ReviewOutcome> {
      const file = path.join(
        scriptDir,
        request.task.id,
        `review-attempt-${request.attempt}.json`,
      );
      const text = await readFile(file, "utf8").catch(() => undefined);
      if (text === undefined)
        return {
          kind: "verdict",
          verdict: "approve",
          summary: "looks right",
          findings: [],
          usage: emptyUsage(),
        };
      const parsed = parseVerdict(JSON.parse(text));
      if (!parsed.ok)
        return {
          kind: "error",
          failure: { kind: "crashed", detail: `${file}: ${parsed.problem}` },
          usage: emptyUsage(),
        };
      return { kind: "verdict", ...parsed.verdict, usage: emptyUsage() };
    },
  };
}
