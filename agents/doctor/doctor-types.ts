/** The preflight's report and options, below both doctor.ts and the checks it runs. */
import type { PriceTable } from "../spend/cost.js";
import type { AgentKind } from "../types.js";

/** One check: what was checked, whether it passed, and when not, the problem and its fix. */
export interface DoctorCheck {
  name: string;
  agent?: string;
  kind?: AgentKind;
  ok: boolean;
  /** What was found (a version, an endpoint that answered). */
  detail?: string;
  /** Passed, but something may still stop it at run time. */
  warning?: string;
  problem?: string;
  fix?: string;
}

/** The whole preflight; `ok` when every check passed. */
export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** Knobs for tests and callers. */
export interface DoctorOptions {
  cwd?: string;
  /** The repository the agents' clones come from: its `.gemini/settings.json` counts for gemini-cli. */
  repoDir?: string;
  /** Per-check time limit (default 15 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** The user id to judge root-only problems by (default: this process's). */
  uid?: number;
  /** The price table (config `prices:` over the defaults): a model it lacks is warned about. */
  prices?: PriceTable;
}
