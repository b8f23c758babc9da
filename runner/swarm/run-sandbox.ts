/**
 * The sandbox a run gives its agents: resolved once before any agent starts, from the `sandbox:`
 * config and what this host allows. A host without one refuses to run unless the user opted in.
 */
import path from "node:path";
import { UserError } from "../../coordination/base/errors.js";
import { resolveSandbox } from "../../coordination/base/sandbox/detect-sandbox.js";
import {
  UNSANDBOXED_WARNING,
  type SandboxPlan,
} from "../../coordination/base/sandbox/sandbox-plan.js";
import type { SwarmConfig } from "../config.js";

/** The plan agents get and one line saying what it is (for the run-start event and the banner). */
export interface RunSandbox {
  plan: SandboxPlan;
  description: string;
}

/**
 * Resolves the run's sandbox; throws a UserError naming the fixes when none can start here and
 * `sandbox.unavailable` is `refuse` (the default).
 */
export async function sandboxForRun(
  repoDir: string,
  settings: SwarmConfig["sandbox"],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunSandbox> {
  const resolved = await resolveSandbox(
    {
      ...settings,
      readOnly: settings.readOnly.map((p) => path.resolve(repoDir, p)),
      readWrite: settings.readWrite.map((p) => path.resolve(repoDir, p)),
    },
    env,
  );
  if (resolved.refused !== undefined)
    throw new UserError(
      "no-sandbox",
      `no sandbox for the agents: ${resolved.refused.reason}.\nTo fix: ${resolved.refused.fix}. Without one, ${UNSANDBOXED_WARNING}.`,
    );
  return { plan: resolved.plan, description: describeSandbox(resolved.plan) };
}

/** What `doctor` says about the sandbox: whether a run would start, and which sandbox it would get. */
export async function sandboxDoctorLine(
  repoDir: string,
  settings: SwarmConfig["sandbox"],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ok: boolean; active: "bwrap" | "none"; line: string }> {
  try {
    const { plan, description } = await sandboxForRun(repoDir, settings, env);
    return {
      ok: true,
      active: plan.kind,
      line: `${plan.kind === "none" ? "!!" : "ok"} sandbox: ${description}\n`,
    };
  } catch (error) {
    return {
      ok: false,
      active: "none",
      line: `FAIL sandbox: ${(error as Error).message}\n`,
    };
  }
}

/** One line for the user: which sandbox is active, or loudly what its absence gives up. */
export function describeSandbox(plan: SandboxPlan): string {
  if (plan.kind === "none")
    return `UNSANDBOXED (${plan.reason}): ${UNSANDBOXED_WARNING}`;
  return `bubblewrap (${plan.bwrap}): each agent command sees only its clone, the system's toolchains and a private /tmp and $HOME; network ${plan.network === "model" ? "only for vendor CLIs, to their model endpoints alone" : plan.network}`;
}
