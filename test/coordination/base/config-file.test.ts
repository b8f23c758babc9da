import { describe, expect, it } from "vitest";
import { closestKey } from "../../../coordination/base/config-file.js";
import {
  MAX_LEASE_MS,
  parseDuration,
  parseLease,
} from "../../../coordination/base/duration.js";
import { parseConfig } from "../../../runner/config.js";

describe("gitswarm.config.yaml strictness", () => {
  it("names an unknown key with its line and the closest known key", () => {
    expect(() => parseConfig("maxAttempts: 2\nleese: 10m\n")).toThrow(
      "gitswarm.config.yaml:2: leese: unknown key 'leese' (did you mean 'lease'?)",
    );
    expect(() => parseConfig("hub:\n  brnch: main\n")).toThrow(
      "gitswarm.config.yaml:2: hub.brnch: unknown key 'brnch' (did you mean 'branch'?)",
    );
    expect(() => parseConfig("wholly: different\n")).toThrow(
      /gitswarm\.config\.yaml:1: wholly: unknown key 'wholly' \(known keys: hub, lease, /,
    );
  });

  it("refuses a YAML alias bomb as bad config, not an internal error", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    expect(() => parseConfig(bomb)).toThrow(
      expect.objectContaining({
        code: "bad-config",
        message: expect.stringMatching(/aliases expand to more than 100/),
      }),
    );
  });

  it("refuses hub names git would read as options or reject", () => {
    expect(() => parseConfig('hub:\n  branch: "--force"\n')).toThrow(
      /gitswarm\.config\.yaml:2: hub\.branch: must be a branch name/,
    );
    expect(() => parseConfig("hub:\n  branch: a..b\n")).toThrow(
      /hub\.branch: is not a valid git branch name/,
    );
    expect(() => parseConfig("hub:\n  remote: -x\n")).toThrow(
      /hub\.remote: must be a remote name/,
    );
    expect(parseConfig("hub:\n  branch: release/v2\n").hub.branch).toBe(
      "release/v2",
    );
  });

  it("refuses a lease outside 1s..30d, naming the range", () => {
    expect(() => parseConfig("lease: 0.1ms\n")).toThrow(
      /gitswarm\.config\.yaml:1: lease: '0\.1ms' is not a duration/,
    );
    expect(() => parseConfig("lease: 500ms\n")).toThrow(
      /lease: '500ms' is outside the allowed lease range 1s\.\.30d/,
    );
    expect(() => parseConfig("lease: 31d\n")).toThrow(/1s\.\.30d/);
  });

  it("finds only near keys", () => {
    expect(closestKey("LEASE", ["lease", "hub"])).toBe("lease");
    expect(closestKey("maxattempt", ["maxAttempts"])).toBe("maxAttempts");
    expect(closestKey("zzz", ["lease", "hub"])).toBeUndefined();
  });
});

describe("durations and leases", () => {
  it("rounds before checking, so sub-millisecond values are not positive", () => {
    expect(parseDuration("0.4ms")).toBeUndefined();
    expect(parseDuration("0.0001s")).toBeUndefined();
    expect(parseDuration("1.5m")).toBe(90_000);
    expect(parseDuration("9007199254740993ms")).toBeUndefined();
    expect(parseDuration("99999999999d")).toBeUndefined();
  });

  it("keeps leases within 1s..30d", () => {
    expect(parseLease("1s")).toEqual({ ok: true, ms: 1000 });
    expect(parseLease("30d")).toEqual({ ok: true, ms: MAX_LEASE_MS });
    expect(parseLease("999ms")).toEqual({
      ok: false,
      problem: "'999ms' is outside the allowed lease range 1s..30d",
    });
    expect(parseLease("soon")).toEqual({
      ok: false,
      problem: "'soon' is not a duration (e.g. 90s, 30m, 2h)",
    });
  });
});
