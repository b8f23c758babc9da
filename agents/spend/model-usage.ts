/**
 * What a run really used, model by model: a CLI run may call several models (gemini-cli's router
 * and main model, codex's default), each priced at its own rates. Also which vendor an agent's
 * unknown models belong to, and the warning a user sees when a model is not in the price table.
 */
import type { AgentKind } from "../types.js";
import {
  findPrice,
  priceCall,
  type PriceBasis,
  type PriceTable,
  type TokenCounts,
} from "./cost.js";
import { vendorOfModel, type Vendor } from "./price-list.js";

/** One model's share of a run: how many requests it answered and their tokens. */
export interface ModelUsage extends TokenCounts {
  model: string;
  /** Model requests (API calls), not CLI runs. */
  requests: number;
}

/** A model's usage with its price. */
export interface PricedUsage extends ModelUsage {
  costUsd: number;
  basis: PriceBasis;
}

/**
 * The vendor whose rates price an agent's unknown models: fixed by a vendor CLI's kind; for an API
 * kind, the vendor unless a `baseUrl` points elsewhere (a local server may serve any model).
 */
export function vendorOfAgent(spec: {
  kind: AgentKind | "scripted";
  baseUrl?: string;
}): Vendor | undefined {
  switch (spec.kind) {
    case "claude-code":
      return "anthropic";
    case "codex":
      return "openai";
    case "gemini-cli":
      return "google";
    case "anthropic":
      return spec.baseUrl === undefined ? "anthropic" : undefined;
    case "openai":
      return spec.baseUrl === undefined ? "openai" : undefined;
    case "gemini":
      return spec.baseUrl === undefined ? "google" : undefined;
    default:
      return undefined;
  }
}

/** Prices each model's usage separately. */
export function priceUsages(
  usages: readonly ModelUsage[],
  prices: PriceTable,
  vendor: Vendor | undefined,
): PricedUsage[] {
  return usages.map((u) => ({
    ...u,
    ...priceCall(u.model, u, prices, vendor),
  }));
}

/**
 * Why a model's cost may be wrong, or undefined when the table prices it: an unknown model of a
 * known vendor is charged at that vendor's highest rates (never $0), one of no known vendor at $0.
 */
export function unknownModelWarning(
  model: string,
  prices: PriceTable,
  vendor: Vendor | undefined,
): string | undefined {
  if (findPrice(model, prices) !== undefined) return undefined;
  const owner = vendorOfModel(model) ?? vendor;
  const fix = `add its price to gitswarm.config.yaml: prices: { ${model}: { inputPerMTok: …, outputPerMTok: …, cacheReadPerMTok: … } }`;
  return owner !== undefined
    ? `model ${model} is not in the price table: priced at ${owner}'s highest rates until you ${fix}`
    : `model ${model} has no known price: counted as $0 (a --budget will not limit it) until you ${fix}`;
}
