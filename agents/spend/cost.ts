/**
 * Prices and cost math. Costs are computed per model call from the tokens the provider reports and
 * a price table in dollars per million tokens; the table can be overridden in config (`prices:`).
 */
import { z } from "zod";

/** Dollars per million input and output tokens for one model (or model-name prefix). */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Model name (or prefix) → price. The longest matching prefix wins. */
export type PriceTable = Record<string, ModelPrice>;

/** The date the default prices were read off the vendors' public price pages. */
export const DEFAULT_PRICES_DATE = "2025-11-20";

/**
 * Default list prices (standard tier, no batch or cache discounts) as of {@link DEFAULT_PRICES_DATE}.
 * Newer models of a family match the family prefix (`claude-opus-4-7` → `claude-opus-4`), which
 * errs on the expensive side, the safe side for budgets; override in config with `prices:`.
 */
export const DEFAULT_PRICES: PriceTable = {
  "claude-opus-4-5": { inputPerMTok: 5, outputPerMTok: 25 },
  "claude-opus-4": { inputPerMTok: 15, outputPerMTok: 75 },
  "claude-sonnet-4": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-sonnet-4-6": { inputPerMTok: 3, outputPerMTok: 15 },
  "claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
  "claude-3-5-haiku": { inputPerMTok: 0.8, outputPerMTok: 4 },
  "gpt-5": { inputPerMTok: 1.25, outputPerMTok: 10 },
  "gpt-5-mini": { inputPerMTok: 0.25, outputPerMTok: 2 },
  "gpt-5-nano": { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  "gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
  "gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  "gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  "o4-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  "gemini-3-pro": { inputPerMTok: 2, outputPerMTok: 12 },
  "gemini-2.5-pro": { inputPerMTok: 1.25, outputPerMTok: 10 },
  "gemini-2.5-flash": { inputPerMTok: 0.3, outputPerMTok: 2.5 },
  "gemini-2.5-flash-lite": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
};

/** zod schema of a `prices:` override in gitswarm.config.yaml. */
export const pricesSchema = z
  .record(
    z.string().min(1),
    z.object({
      inputPerMTok: z
        .number()
        .nonnegative()
        .describe("dollars per million input tokens"),
      outputPerMTok: z
        .number()
        .nonnegative()
        .describe("dollars per million output tokens"),
    }),
  )
  .describe(
    "price overrides by model name or prefix, merged over the built-in table",
  );

/** Merges an override over the defaults (override entries win). */
export function mergePrices(
  override: PriceTable | undefined,
  base: PriceTable = DEFAULT_PRICES,
): PriceTable {
  return { ...base, ...(override ?? {}) };
}

/** The price for a model by longest matching prefix, or undefined when the table has none. */
export function findPrice(
  model: string,
  prices: PriceTable,
): ModelPrice | undefined {
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    if (
      model.startsWith(key) &&
      (best === undefined || key.length > best.length)
    )
      best = key;
  }
  return best === undefined ? undefined : prices[best];
}

/** Dollars for one call; 0 for unpriced models (local servers), rounded to a micro-dollar. */
export function costOf(
  model: string,
  tokens: { inputTokens: number; outputTokens: number },
  prices: PriceTable,
): number {
  const price = findPrice(model, prices);
  if (price === undefined) return 0;
  const dollars =
    (tokens.inputTokens * price.inputPerMTok +
      tokens.outputTokens * price.outputPerMTok) /
    1e6;
  return Math.round(dollars * 1e6) / 1e6;
}

/** A rough token count for text not yet sent (4 characters per token, the vendors' rule of thumb). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
