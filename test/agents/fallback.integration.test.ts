/** Fallback chains: claude out of quota hands the same task to gemini; usage adds up over both. */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  agentsConfigSchema,
  createAgents,
  type AgentEvent,
} from "../../agents/index.js";
import { installFakeClis } from "./fixtures/fake-clis.js";
import { makeRequest, makeWorkspace } from "./fixtures/workspace.js";

describe("fallback chain", () => {
  it("hands the task from claude-code to gemini-cli after a rate limit, and adds up the usage", async () => {
    const bin = await installFakeClis(["claude", "gemini"]);
    const specs = agentsConfigSchema.parse([
      { name: "claude", kind: "claude-code", fallback: "gem" },
      { name: "gem", kind: "gemini-cli" },
    ]);
    const events: AgentEvent[] = [];
    // FAKE_MODE applies to both fakes; claude is made to hit its limit through a wrapper that overrides it.
    const wrapper = path.join(bin, "claude-real");
    await fs.rename(path.join(bin, "claude"), wrapper);
    await fs.writeFile(
      path.join(bin, "claude"),
      `#!/bin/sh\nFAKE_MODE=rate-limit exec "${wrapper}" "$@"\n`,
      { mode: 0o755 },
    );
    const [claude] = createAgents(specs, {
      env: { PATH: `${bin}:${process.env.PATH}`, FAKE_MODE: "ok" },
      onEvent: (e) => events.push(e),
    });
    const workspace = await makeWorkspace();
    const outcome = await claude!.work(makeRequest(workspace));
    expect(outcome).toMatchObject({
      kind: "finished",
      summary: "I created the file.",
      usage: { calls: 4, inputTokens: 24939 },
    });
    expect(events).toContainEqual({
      type: "fallback",
      agent: "claude",
      to: "gem",
      reason: "rate-limited",
    });
    await fs.access(path.join(workspace, "done-by-gemini.txt"));
  });
});
