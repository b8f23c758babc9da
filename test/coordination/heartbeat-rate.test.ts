/** Heartbeats keep their rate however long a beat's fetch and push take (an agent's heartbeat-timer.ts, the lander's lander-lease.ts). */
import { describe, expect, it } from "vitest";
import { nextBeatDelay } from "../../coordination/protocol/heartbeat.js";

describe("nextBeatDelay", () => {
  it("starts beats every everyMs from start to start", () => {
    expect(nextBeatDelay(1_000, 10_000, 10_250)).toBe(750);
    expect(nextBeatDelay(1_000, 10_000, 10_000)).toBe(1_000);
  });

  it("follows a beat that took longer than everyMs at once, never with a negative delay", () => {
    expect(nextBeatDelay(1_000, 10_000, 11_000)).toBe(0);
    expect(nextBeatDelay(1_000, 10_000, 14_000)).toBe(0);
  });
});
