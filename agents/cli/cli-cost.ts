/**
 * A CLI run's cost, model by model: each model the CLI reports is priced at its own rates, cached
 * input at cache rates. A model the table does not list is priced at the CLI's own figure where it
 * gives one (claude), else at its vendor's highest rates (never $0 for a vendor CLI).
 */
import type { AgentSpec } from "../config.js";
import { type PriceTable } from "../spend/cost.js";
import {
  priceUsages,
  vendorOfAgent,
  type PricedUsage,
} from "../spend/model-usage.js";
import type { CliResult } from "./cli-result.js";

/** A priced model of a CLI run; `reported` when the CLI's own dollar figure was taken. */
export type PricedCliModel = Omit<PricedUsage, "basis"> & {
  basis: PricedUsage["basis"] | "reported";
};

/** Prices every model of a parsed run; `fallbackModel` names the model when the CLI named none. */
export function priceCliRun(
  parsed: CliResult,
  spec: AgentSpec,
  fallbackModel: string,
  prices: PriceTable,
): { models: PricedCliModel[]; costUsd: number } {
  const models = parsed.models ?? [
    {
      model: parsed.model ?? fallbackModel,
      requests: parsed.calls,
      inputTokens: parsed.inputTokens,
      outputTokens: parsed.outputTokens,
      cacheReadTokens: parsed.cacheReadTokens ?? 0,
      cacheWriteTokens: parsed.cacheWriteTokens ?? 0,
      ...(parsed.costUsd !== undefined ? { reportedUsd: parsed.costUsd } : {}),
    },
  ];
  const priced = priceUsages(models, prices, vendorOfAgent(spec)).map(
    (p, i): PricedCliModel => {
      const reported = models[i]?.reportedUsd;
      return p.basis !== "listed" && reported !== undefined
        ? { ...p, costUsd: reported, basis: "reported" }
        : p;
    },
  );
  const total = priced.reduce((sum, p) => sum + p.costUsd, 0);
  return { models: priced, costUsd: Math.round(total * 1e6) / 1e6 };
}
