/**
 * The `queue:` section of gitswarm.config.yaml: whether agents enqueue their work for the lander,
 * the batch size bounds, speculative gating, and how often a runner looks for entries enqueued elsewhere.
 */
import { z } from "zod";
import { parseDuration } from "../../coordination/base/duration.js";

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => parseDuration(text) !== undefined, {
      message: "must be a duration such as '1s', '90s' or '10m'",
    });

/** Zod schema of `queue:`; `parse({})` gives the defaults. */
export const queueConfigSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "Agents enqueue finished work; one lander per hub gates batches with the full oracle once and lands them atomically",
      ),
    batch: z
      .object({
        min: z.number().int().positive().default(1),
        max: z.number().int().positive().default(8),
        wait: z
          .string()
          .optional()
          .refine(
            (text) => text === undefined || parseDuration(text) !== undefined,
            {
              message: "must be a duration such as '5s', '90s' or '2m'",
            },
          )
          .describe(
            "How long the lander waits for min entries before it gates fewer (GitHub's wait time to meet the minimum group size)",
          ),
      })
      .strict()
      .prefault({})
      .refine((b) => b.min <= b.max, {
        message: "min must not be greater than max",
      })
      .describe(
        "Batch size: all that wait up to a limit that doubles after a green batch and halves after a red one, within min..max; fewer than min are gated once the oldest has waited `wait`",
      ),
    speculate: z
      .boolean()
      .default(true)
      .describe(
        "Gate the entries queued behind a batch at the same time, on top of it (Zuul's dependent pipeline): two oracle runs at once while both gate; they land right after it, or are gated again if it fails",
      ),
    poll: duration("1s").describe(
      "How often the runner looks for entries enqueued elsewhere (its own agents wake it at once), and a lander gating a batch for entries to gate on top of it",
    ),
  })
  .strict();
