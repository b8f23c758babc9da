/** The fleet view's pure parts on plain data: runner records parsed, judged live/silent, shown. */
import { describe, expect, it } from "vitest";
import {
  describeFleet,
  formatFleet,
  parseRunnerRecord,
  renderRunnerRecord,
  type RunnerRecord,
} from "../../../runner/fleet/runner-record.js";

const base: RunnerRecord = {
  id: "ws-a-1a2b3c",
  host: "ws-a",
  agents: ["bot-1", "bot-2"],
  gpus: 0,
  startedAt: "2026-12-05T10:00:00.000Z",
  heartbeatAt: "2026-12-05T10:05:00.000Z",
  leaseMs: 60_000,
  state: "running",
  pid: 42,
};

describe("runner records", () => {
  it("round-trip; a broken or foreign runner.json is skipped", () => {
    expect(parseRunnerRecord(renderRunnerRecord(base))).toEqual(base);
    expect(parseRunnerRecord("not json")).toBeUndefined();
    expect(parseRunnerRecord('{"id":"x"}')).toBeUndefined();
  });

  it("a runner is live within its lease, silent past it, stopped when it said so", () => {
    const gpu = { ...base, id: "gpu-1-ffffff", host: "gpu-1", gpus: 2 };
    const old = {
      ...base,
      id: "ws-b-000000",
      host: "ws-b",
      heartbeatAt: "2026-12-05T10:03:00.000Z",
    };
    const gone = {
      ...base,
      id: "ws-c-111111",
      host: "ws-c",
      state: "stopped" as const,
    };
    const fleet = describeFleet(
      [old, gone, gpu, base],
      new Date("2026-12-05T10:05:30.000Z"),
    );
    expect(fleet.map((r) => [r.id, r.status])).toEqual([
      ["gpu-1-ffffff", "live"],
      ["ws-a-1a2b3c", "live"],
      ["ws-b-000000", "silent"],
      ["ws-c-111111", "stopped"],
    ]);
    const lines = formatFleet(fleet);
    expect(lines[0]).toBe("runners: 4 (2 live)");
    expect(lines[1]).toContain("gpu-1-ffffff on gpu-1: bot-1, bot-2, 2 GPU(s)");
    expect(lines[3]).toContain(
      "SILENT (last heartbeat 150s ago, past its lease)",
    );
    expect(formatFleet([])).toEqual(["runners: none announced on the hub"]);
  });
});
