/**
 * Prices and cost math. Costs are computed per model from the tokens the provider reports (cached
 * input at cache rates) and a price table in dollars per million tokens built from the dated list
 * in price-list.ts; the config's `prices:` overrides or extends it.
 */
import { z } from "zod";
import { PRICE_LIST, vendorOfModel, type Vendor } from "./price-list.js";

/** Dollars per million tokens for one model (or model-family name), cache rates included. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Cached input read (Anthropic cache read, OpenAI cached input, Gemini cached content); default: the input rate. */
  cacheReadPerMTok?: number;
  /** Input written to the cache (Anthropic); default: the input rate. */
  cacheWritePerMTok?: number;
}

/** Model name (or family name) → price. The longest matching name wins. */
export type PriceTable = Record<string, ModelPrice>;

/** Tokens of one call or of one model's calls: `inputTokens` counts every input token, cached or not. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, those read from the vendor's cache. */
  cacheReadTokens?: number;
  /** Of `inputTokens`, those written to the vendor's cache. */
  cacheWriteTokens?: number;
}

/** How a cost was priced: from the table, at the vendor's highest rates (unknown model), or not at all. */
export type PriceBasis = "listed" | "vendor-max" | "unpriced";

/** The date the default prices were read off the vendors' public price pages (the newest entry's). */
export const DEFAULT_PRICES_DATE = PRICE_LIST.reduce(
  (latest, e) => (e.asOf > latest ? e.asOf : latest),
  "",
);

/**
 * Default list prices from {@link PRICE_LIST}. Newer models of a family match the family name
 * (`claude-opus-4-7` → `claude-opus-4`), which errs on the expensive side, the safe side for
 * budgets; a model no entry matches is priced at its vendor's highest rates (see {@link priceCall}).
 */
export const DEFAULT_PRICES: PriceTable = Object.fromEntries(
  PRICE_LIST.map((e) => [
    e.model,
    {
      inputPerMTok: e.input,
      outputPerMTok: e.output,
      cacheReadPerMTok: e.cacheRead,
      ...(e.cacheWrite !== undefined
        ? { cacheWritePerMTok: e.cacheWrite }
        : {}),
    },
  ]),
);

const rate = (description: string) =>
  z.number().nonnegative().describe(description);

/** zod schema of a `prices:` override in gitswarm.config.yaml. */
export const pricesSchema = z
  .record(
    z.string().min(1),
    z.object({
      inputPerMTok: rate("dollars per million input tokens"),
      outputPerMTok: rate("dollars per million output tokens"),
      cacheReadPerMTok: rate(
        "dollars per million cached input tokens read (default: the input rate)",
      ).optional(),
      cacheWritePerMTok: rate(
        "dollars per million input tokens written to the cache (default: the input rate)",
      ).optional(),
    }),
  )
  .describe(
    "price overrides by model name or family name, merged over the built-in table",
  );

/** Merges an override over the defaults (override entries win). */
export function mergePrices(
  override: PriceTable | undefined,
  base: PriceTable = DEFAULT_PRICES,
): PriceTable {
  return { ...base, ...(override ?? {}) };
}

/**
 * The price for a model by the longest table name it equals or extends at a `-`, `@` or `:`
 * (`gpt-5` matches `gpt-5-codex` but not `gpt-5.2`), after any `provider/` prefix; else undefined.
 */
export function findPrice(
  model: string,
  prices: PriceTable,
): ModelPrice | undefined {
  const name = model.slice(model.lastIndexOf("/") + 1);
  let best: string | undefined;
  for (const key of Object.keys(prices)) {
    const extends_ =
      name.startsWith(key) && /^[-@:]?$/.test(name.charAt(key.length));
    if (extends_ && (best === undefined || key.length > best.length))
      best = key;
  }
  return best === undefined ? undefined : prices[best];
}

/** The highest of each rate over the table's models of `vendor`: the price of its unknown models. */
export function vendorMaxPrice(
  vendor: Vendor,
  prices: PriceTable,
): ModelPrice | undefined {
  const own = Object.entries(prices)
    .filter(([model]) => vendorOfModel(model) === vendor)
    .map(([, price]) => price);
  if (own.length === 0) return undefined;
  const max = (pick: (p: ModelPrice) => number) => Math.max(...own.map(pick));
  return {
    inputPerMTok: max((p) => p.inputPerMTok),
    outputPerMTok: max((p) => p.outputPerMTok),
    cacheReadPerMTok: max((p) => p.cacheReadPerMTok ?? p.inputPerMTok),
    cacheWritePerMTok: max((p) => p.cacheWritePerMTok ?? p.inputPerMTok),
  };
}

/**
 * Prices tokens of `model`: from the table when a name matches; else, when the model's vendor is
 * known (by its name, or `vendor` from the agent's kind), at that vendor's highest rates, never $0;
 * else (a local model) $0, `unpriced`. Rounded to a micro-dollar.
 */
export function priceCall(
  model: string,
  tokens: TokenCounts,
  prices: PriceTable,
  vendor?: Vendor,
): { costUsd: number; basis: PriceBasis } {
  const listed = findPrice(model, prices);
  const owner = vendorOfModel(model) ?? vendor;
  const price =
    listed ?? (owner !== undefined ? vendorMaxPrice(owner, prices) : undefined);
  if (price === undefined) return { costUsd: 0, basis: "unpriced" };
  const cacheRead = tokens.cacheReadTokens ?? 0;
  const cacheWrite = tokens.cacheWriteTokens ?? 0;
  const fresh = Math.max(0, tokens.inputTokens - cacheRead - cacheWrite);
  const dollars =
    (fresh * price.inputPerMTok +
      cacheRead * (price.cacheReadPerMTok ?? price.inputPerMTok) +
      cacheWrite * (price.cacheWritePerMTok ?? price.inputPerMTok) +
      tokens.outputTokens * price.outputPerMTok) /
    1e6;
  return {
    costUsd: Math.round(dollars * 1e6) / 1e6,
    basis: listed !== undefined ? "listed" : "vendor-max",
  };
}

/** Dollars for one call (see {@link priceCall}); 0 for a model of no known vendor. */
export function costOf(
  model: string,
  tokens: TokenCounts,
  prices: PriceTable,
  vendor?: Vendor,
): number {
  return priceCall(model, tokens, prices, vendor).costUsd;
}

/** A rough token count for text not yet sent (4 characters per token, the vendors' rule of thumb). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}
