/**
 * One agent loop in this process against a real hub (test/support/swarm-fixture.ts): a hand-written
 * Agent whose `work` edits the clone as a test says, the real gates pipeline and landing, and the
 * events collected. The loop is stopped once `until` sees the event the test waits for.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Agent, WorkOutcome, WorkRequest } from "../../../agents/types.js";
import type {
  EventInput,
  SwarmEvent,
} from "../../../coordination/base/events.js";
import { runAgentLoop } from "../../../runner/agent/agent-loop.js";
import type { AgentLoopOptions } from "../../../runner/agent/agent-loop-options.js";
import type { SwarmFixture } from "../../support/swarm-fixture.js";

/** A test agent: writes `files` into its clone (nothing when empty) and finishes. */
export function fileAgent(
  name: string,
  files: Record<string, string>,
  requests: WorkRequest[] = [],
): Agent {
  return {
    name,
    kind: "openai",
    async work(request): Promise<WorkOutcome> {
      requests.push(request);
      for (const [file, text] of Object.entries(files))
        await writeFile(path.join(request.workspaceDir, file), text);
      return {
        kind: "finished",
        summary: "did it",
        usage: { calls: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.01 },
      };
    },
  };
}

/** Runs `agent`'s loop on a fresh clone until `until` matches an event (or `timeoutMs` passes). */
export async function runLoopUntil(
  fixture: SwarmFixture,
  agent: Agent,
  until: (event: EventInput) => boolean,
  extra: Partial<AgentLoopOptions> = {},
  timeoutMs = 60_000,
): Promise<EventInput[]> {
  return (await runLoop(fixture, agent, until, extra, timeoutMs)).events;
}

/** {@link runLoopUntil}, also giving the clone (for a restart of the same agent). */
export async function runLoop(
  fixture: SwarmFixture,
  agent: Agent,
  until: (event: EventInput) => boolean,
  extra: Partial<AgentLoopOptions> = {},
  timeoutMs = 60_000,
): Promise<{ events: EventInput[]; ws: AgentLoopOptions["ws"] }> {
  // The same agent again (a restart) keeps its clone.
  const ws = extra.ws ?? (await fixture.clone(agent.name));
  const events: EventInput[] = [];
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error("timed out")),
    timeoutMs,
  );
  try {
    await runAgentLoop({
      agent,
      me: { name: agent.name, kind: agent.kind, capabilities: [] },
      scheduling: { swarmCapabilities: new Set(), routing: {} },
      leaseMs: 60_000,
      maxAttempts: 3,
      idlePollMs: 50,
      emit: (event) => {
        events.push(event);
        if (until(event)) controller.abort();
      },
      ...extra,
      ws,
      signal: controller.signal,
    });
  } finally {
    clearTimeout(timer);
  }
  if (!events.some(until))
    throw new Error(
      `the loop ended without the awaited event; events: ${JSON.stringify(events.map((e) => e.type))}`,
    );
  return { events, ws };
}

/** An event of `type` (the first), typed. */
export function eventOf<T extends SwarmEvent["type"]>(
  events: readonly EventInput[],
  type: T,
): Extract<EventInput, { type: T }> | undefined {
  return events.find((e) => e.type === type) as
    Extract<EventInput, { type: T }> | undefined;
}
