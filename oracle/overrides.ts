/**
 * Per-case comparison settings: `oracle.overrides` lets a set of cases use another comparator
 * (unordered rows for SQL without ORDER BY, numeric tolerance for maths) or more normalisers.
 * Pure: the first override whose globs match the case id wins.
 */
import type { ComparatorKind, OracleConfig } from "./config.js";
import { globToRegExp } from "./glob.js";
import type { Normaliser } from "./compare/normalise.js";

/** The comparison settings in force for one case. */
export interface CaseSettings {
  kinds: readonly ComparatorKind[];
  tolerance: number;
  normalise: readonly Normaliser[];
  checkExitCode: boolean;
}

/** Resolves the settings of case `id` from the global config and the first matching override. */
export function settingsForCase(
  config: Pick<
    OracleConfig,
    "compare" | "tolerance" | "normalise" | "checkExitCode" | "overrides"
  >,
  id: string,
): CaseSettings {
  const base: CaseSettings = {
    kinds: config.compare,
    tolerance: config.tolerance,
    normalise: config.normalise,
    checkExitCode: config.checkExitCode,
  };
  const override = config.overrides.find((o) =>
    o.cases.some((glob) => globToRegExp(glob.replace(/^\.\//, "")).test(id)),
  );
  if (override === undefined) return base;
  return {
    kinds: override.compare ?? base.kinds,
    tolerance: override.tolerance ?? base.tolerance,
    normalise: [...base.normalise, ...override.normalise],
    checkExitCode: override.checkExitCode ?? base.checkExitCode,
  };
}
