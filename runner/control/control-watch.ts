/**
 * The runner's side of steering: polls the run's control file and brings the agents in line —
 * stops an agent a user stopped, restarts one a user restarted — and logs each change (pause and
 * resume included; the agents themselves honour a pause, see pause-gate.ts).
 */
import type { EventInput } from "../../coordination/base/events.js";
import { readControl } from "./control-file.js";
import {
  controlCommands,
  type AgentControlState,
  type ControlState,
} from "./control-state.js";

/** What the watcher needs of the supervisor. */
export interface AgentSteering {
  /** Stops the agent, its claim given back; false when it is not running. */
  stopAgent(name: string, why: string): boolean;
  /** Restarts the agent (or starts it again when stopped); false when the run is over. */
  restartAgent(name: string): boolean;
}

/** Starts polling `runDir`'s control file every `pollMs` (default 250); `stop()` ends it. */
export function watchControl(options: {
  runDir: string;
  steering: AgentSteering;
  emit: (event: EventInput) => void;
  pollMs?: number;
}): { stop(): Promise<void> } {
  let applied: Record<string, AgentControlState> = {};
  let paused = false;
  let stopped = false;
  const apply = (wanted: ControlState) => {
    const by = wanted.changedBy ?? "someone";
    if (wanted.paused !== paused) {
      paused = wanted.paused;
      options.emit({
        type: "control",
        action: paused ? "pause" : "resume",
        by,
      });
    }
    for (const command of controlCommands(applied, wanted)) {
      const done =
        command.kind === "stop"
          ? options.steering.stopAgent(command.agent, `stopped by ${by}`)
          : options.steering.restartAgent(command.agent);
      options.emit({
        type: "control",
        action: command.kind,
        agent: command.agent,
        by,
        ...(done ? {} : { refused: true }),
      });
    }
    applied = structuredClone(wanted.agents);
  };
  const loop = (async () => {
    while (!stopped) {
      apply(await readControl(options.runDir));
      await new Promise((resolve) =>
        setTimeout(resolve, options.pollMs ?? 250),
      );
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
