/**
 * The built-in price list as data: dollars per million tokens for each model family, read off the
 * vendors' public price pages on the date each entry carries (standard tier, no batch discount,
 * prompts under the long-context threshold). Cache rates: Anthropic's 5-minute cache write and cache
 * read, OpenAI's cached input, Gemini's cached content (storage per hour is not charged per call).
 * A config's `prices:` overrides any entry or adds models; see cost.ts for how a model is matched.
 */

/** The vendors whose prices the list holds. */
export const VENDORS = ["anthropic", "openai", "google"] as const;

/** A vendor of models. */
export type Vendor = (typeof VENDORS)[number];

/** One model family's list prices, in dollars per million tokens. */
export interface PriceEntry {
  vendor: Vendor;
  /** The model name or the family prefix it matches (`claude-sonnet-4` matches `claude-sonnet-4-5`). */
  model: string;
  /** The day the prices were read (YYYY-MM-DD). */
  asOf: string;
  input: number;
  output: number;
  /** Input tokens read from the cache (Anthropic cache read, OpenAI cached input, Gemini cached content). */
  cacheRead: number;
  /** Input tokens written to the cache (Anthropic only; the others charge cache writes as input). */
  cacheWrite?: number;
}

const A = "2025-11-20";

/** The built-in list, one model a line (kept unformatted: it reads as a table). */
// prettier-ignore
export const PRICE_LIST: readonly PriceEntry[] = [
  { vendor: "anthropic", model: "claude-opus-4-5", asOf: A, input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  { vendor: "anthropic", model: "claude-opus-4", asOf: A, input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  { vendor: "anthropic", model: "claude-sonnet-4-6", asOf: A, input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  { vendor: "anthropic", model: "claude-sonnet-4", asOf: A, input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  { vendor: "anthropic", model: "claude-haiku-4-5", asOf: A, input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  { vendor: "anthropic", model: "claude-3-5-haiku", asOf: A, input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  { vendor: "openai", model: "gpt-5.1", asOf: A, input: 1.25, output: 10, cacheRead: 0.125 },
  { vendor: "openai", model: "gpt-5", asOf: A, input: 1.25, output: 10, cacheRead: 0.125 },
  { vendor: "openai", model: "gpt-5-mini", asOf: A, input: 0.25, output: 2, cacheRead: 0.025 },
  { vendor: "openai", model: "gpt-5-nano", asOf: A, input: 0.05, output: 0.4, cacheRead: 0.005 },
  { vendor: "openai", model: "gpt-4.1", asOf: A, input: 2, output: 8, cacheRead: 0.5 },
  { vendor: "openai", model: "gpt-4.1-mini", asOf: A, input: 0.4, output: 1.6, cacheRead: 0.1 },
  { vendor: "openai", model: "gpt-4o", asOf: A, input: 2.5, output: 10, cacheRead: 1.25 },
  { vendor: "openai", model: "gpt-4o-mini", asOf: A, input: 0.15, output: 0.6, cacheRead: 0.075 },
  { vendor: "openai", model: "o4-mini", asOf: A, input: 1.1, output: 4.4, cacheRead: 0.275 },
  { vendor: "google", model: "gemini-3-pro", asOf: A, input: 2, output: 12, cacheRead: 0.2 },
  { vendor: "google", model: "gemini-2.5-pro", asOf: A, input: 1.25, output: 10, cacheRead: 0.125 },
  { vendor: "google", model: "gemini-2.5-flash", asOf: A, input: 0.3, output: 2.5, cacheRead: 0.03 },
  { vendor: "google", model: "gemini-2.5-flash-lite", asOf: A, input: 0.1, output: 0.4, cacheRead: 0.01 },
];

/** The vendor a model name belongs to by its family prefix, or undefined (a local or unknown model). */
export function vendorOfModel(model: string): Vendor | undefined {
  if (/^claude-/.test(model)) return "anthropic";
  if (/^(gpt-|o\d|codex-)/.test(model)) return "openai";
  if (/^gemini-/.test(model)) return "google";
  return undefined;
}
