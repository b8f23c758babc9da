/**
 * The sandbox of this process's agent commands. An agent process sets its plan once at start
 * (`setAgentSandbox`, from the runner's AgentJob); from then on every spawn that runs code an
 * agent wrote names its role (`SpawnOptions.confine`) and spawn.ts wraps it here. A process that
 * never set a plan (the runner, `gitswarm oracle` run by the user) confines nothing: what the user
 * runs themselves is theirs.
 */
import { bwrapArgs } from "./bwrap-args.js";
import { modelBridge } from "./model-bridge.js";
import {
  networkAccess,
  type ConfineRequest,
  type SandboxPlan,
} from "./sandbox-plan.js";

let active: SandboxPlan | undefined;

/** Sets the plan every confined spawn of this process uses (an agent process, once, at start). */
export function setAgentSandbox(plan: SandboxPlan | undefined): void {
  active = plan;
}

/** Whether this process confines what its agent runs (a plan is set and it is not `none`). */
export function isSandboxed(): boolean {
  return active !== undefined && active.kind !== "none";
}

/**
 * The request with the model bridge to its endpoints opened (model-bridge.ts), where the active
 * plan gives its role only those (`network: model`, a vendor CLI); unchanged elsewhere.
 */
export async function withModelBridge<T extends Omit<ConfineRequest, "cwd">>(
  request: T,
  plan: SandboxPlan | undefined = active,
): Promise<T> {
  const endpoints = request.endpoints ?? [];
  if (
    plan?.kind !== "bwrap" ||
    networkAccess(plan.network, request.role) !== "endpoints" ||
    endpoints.length === 0
  )
    return request;
  return { ...request, bridge: (await modelBridge(endpoints)).dir };
}

/** A command as spawn.ts will start it: the program, its arguments, and whether through a shell. */
export interface Command {
  file: string;
  args: readonly string[];
  shell: boolean;
}

/**
 * The command wrapped in the active sandbox for `request`; unchanged when no plan is set or the
 * plan is `none`. A shell command line becomes `/bin/sh -c LINE` inside the sandbox.
 */
export function confineCommand(
  command: Command,
  request: ConfineRequest,
  plan: SandboxPlan | undefined = active,
): Command {
  if (plan === undefined || plan.kind === "none") return command;
  const [file, args] = command.shell
    ? ["/bin/sh", ["-c", [command.file, ...command.args].join(" ")]]
    : [command.file, command.args];
  return {
    file: plan.bwrap,
    args: bwrapArgs(plan, request, file, args),
    shell: false,
  };
}
