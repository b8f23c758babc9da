/**
 * Steering a live run: the run's control state (paused or not, which agents a user stopped, how
 * often each was restarted) as plain data, the requests that change it, and what the runner must
 * do to bring its agents in line. Pure: control-file.ts reads and writes it in the run directory,
 * where `gitswarm pause`, `gitswarm agent stop` and the dashboard all write it the same way.
 */
import { z } from "zod";

/** One agent's wanted state: `restarts` counts restart requests (the runner acts on each new one). */
export interface AgentControlState {
  stopped: boolean;
  restarts: number;
}

/** What users asked of a run, as stored in `control.json` in its run directory. */
export interface ControlState {
  paused: boolean;
  agents: Record<string, AgentControlState>;
  /** The last change: when and by whom (git config user.name, or `--as`). */
  changedAt?: string;
  changedBy?: string;
}

/** One request, from the CLI or the dashboard. */
export type ControlRequest =
  | { kind: "pause" }
  | { kind: "resume" }
  | { kind: "stop"; agent: string }
  | { kind: "restart"; agent: string };

/** What the runner must do to one agent to honour the control state. */
export interface AgentCommand {
  kind: "stop" | "restart";
  agent: string;
}

const stateSchema = z.object({
  paused: z.boolean().default(false),
  agents: z
    .record(
      z.string(),
      z.object({
        stopped: z.boolean().default(false),
        restarts: z.number().int().min(0).default(0),
      }),
    )
    .default({}),
  changedAt: z.string().optional(),
  changedBy: z.string().optional(),
});

/** The state of a run nobody has steered. */
export function emptyControl(): ControlState {
  return { paused: false, agents: {} };
}

/** Parses `control.json`'s text; a missing, torn or foreign file reads as nobody steering. */
export function parseControl(text: string): ControlState {
  if (text.trim() === "") return emptyControl();
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : emptyControl();
  } catch {
    return emptyControl();
  }
}

/** The state after `request`. A stop is undone only by a restart, which also counts one restart. */
export function applyControl(
  state: ControlState,
  request: ControlRequest,
  by: string,
  now: Date,
): ControlState {
  const stamp = { changedAt: now.toISOString(), changedBy: by };
  if (request.kind === "pause" || request.kind === "resume")
    return { ...state, paused: request.kind === "pause", ...stamp };
  const current = state.agents[request.agent] ?? {
    stopped: false,
    restarts: 0,
  };
  const next: AgentControlState =
    request.kind === "stop"
      ? { ...current, stopped: true }
      : { stopped: false, restarts: current.restarts + 1 };
  return {
    ...state,
    agents: { ...state.agents, [request.agent]: next },
    ...stamp,
  };
}

/**
 * What the runner must do to go from what it has applied to what is wanted: stop an agent newly
 * marked stopped, restart one whose restart count grew (and that is not stopped). Pure.
 */
export function controlCommands(
  applied: Readonly<Record<string, AgentControlState>>,
  wanted: ControlState,
): AgentCommand[] {
  const commands: AgentCommand[] = [];
  for (const [agent, want] of Object.entries(wanted.agents)) {
    const had = applied[agent] ?? { stopped: false, restarts: 0 };
    // Where a restart and a later stop both wait, the stop is what was asked last.
    if (want.stopped && !had.stopped) commands.push({ kind: "stop", agent });
    else if (!want.stopped && want.restarts > had.restarts)
      commands.push({ kind: "restart", agent });
  }
  return commands;
}

/** Words for a request, as the CLI and the dashboard report it. */
export function describeRequest(request: ControlRequest): string {
  if (request.kind === "pause")
    return "paused: agents finish their current step and take no new task until 'gitswarm resume'";
  if (request.kind === "resume") return "resumed: agents take tasks again";
  return request.kind === "stop"
    ? `stopping ${request.agent}: it gives its claim back and takes no task until 'gitswarm agent restart ${request.agent}'`
    : `restarting ${request.agent}: a fresh process resumes its claim, if it holds one`;
}
