import { describe, expect, it } from "vitest";
import {
  parseTrailers,
  trailerValue,
} from "../../../coordination/git/trailers.js";
import {
  coAuthors,
  hasSwarmTrailers,
} from "../../../scripts/analytics/history/trailers.js";

describe("parseTrailers", () => {
  it("reads the last paragraph of Key: value lines", () => {
    const trailers = parseTrailers(
      "claim: lexer\n\nSwarm-Action: claim\nSwarm-Task: lexer\nSwarm-Agent: agent-a\nSwarm-Claim: 3f9c\n",
    );
    expect(trailers).toEqual([
      { key: "Swarm-Action", value: "claim" },
      { key: "Swarm-Task", value: "lexer" },
      { key: "Swarm-Agent", value: "agent-a" },
      { key: "Swarm-Claim", value: "3f9c" },
    ]);
    expect(trailerValue(trailers, "swarm-action")).toBe("claim");
    expect(hasSwarmTrailers(trailers)).toBe(true);
  });

  it("joins continuation lines and keeps values with colons", () => {
    const trailers = parseTrailers(
      "break: x\n\nSwarm-Evidence: lease expired at 10:00,\n  no push since 09:00\nSwarm-Forced: true",
    );
    expect(trailers).toEqual([
      {
        key: "Swarm-Evidence",
        value: "lease expired at 10:00, no push since 09:00",
      },
      { key: "Swarm-Forced", value: "true" },
    ]);
  });

  it("finds none in a subject-only message or a prose last paragraph", () => {
    expect(parseTrailers("Swarm-Action: claim")).toEqual([]);
    expect(parseTrailers("Fix\n\nThis fixes it.\nNote: more later")).toEqual(
      [],
    );
    expect(parseTrailers("")).toEqual([]);
  });

  it("names co-authors without their emails", () => {
    const trailers = parseTrailers(
      "Work\n\nCo-authored-by: Claude <noreply@anthropic.com>\nCo-Authored-By: gemini-1 <g@x>",
    );
    expect(coAuthors(trailers)).toEqual(["Claude", "gemini-1"]);
    expect(hasSwarmTrailers(trailers)).toBe(false);
  });
});
