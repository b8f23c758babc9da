/** Keys leave /proc/<pid>/environ but stay in process.env: the parsing on plain data, then a real process. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  envStart,
  secretSpots,
} from "../../../coordination/base/own-environ.js";
import { decode, runProcess } from "../../../coordination/base/spawn.js";

const MODULE = fileURLToPath(
  new URL("../../../coordination/base/own-environ.ts", import.meta.url),
);

describe("secretSpots", () => {
  it("finds each secret value's bytes and skips the rest", () => {
    const block = Buffer.from(
      "PATH=/bin\0OPENAI_API_KEY=sk-1\0EMPTY_TOKEN=\0GIT_AUTHOR_NAME=a\0",
    );
    expect(secretSpots(block)).toEqual([
      { name: "OPENAI_API_KEY", offset: 25, length: 4 },
    ]);
    expect(block.subarray(25, 29).toString()).toBe("sk-1");
  });
});

describe("envStart", () => {
  it("reads field 50 even when the command name holds spaces and parentheses", () => {
    const rest = Array.from({ length: 50 }, (_, i) => String(i + 3));
    expect(envStart(`42 (a b) c) ${rest.join(" ")}`)).toBe(50);
  });
});

describe.runIf(process.platform === "linux")(
  "hideSecretsFromEnviron in a real process",
  () => {
    it("empties the key in /proc/self/environ and keeps it in process.env", async () => {
      const key = "sk-environ-test-0123456789";
      const code = [
        `import { readFileSync } from "node:fs";`,
        `const { hideSecretsFromEnviron } = await import(${JSON.stringify(MODULE)});`,
        `const before = readFileSync("/proc/self/environ", "utf8").includes(process.env.OPENAI_API_KEY);`,
        `const result = hideSecretsFromEnviron();`,
        `const after = readFileSync("/proc/self/environ", "utf8").includes(${JSON.stringify(key)});`,
        `console.log(JSON.stringify({ before, after, result, kept: process.env.OPENAI_API_KEY }));`,
      ].join("\n");
      const run = await runProcess(
        process.execPath,
        ["--import", "tsx", "--input-type=module", "-e", code],
        { cwd: process.cwd(), env: { OPENAI_API_KEY: key }, timeoutMs: 60_000 },
      );
      expect(run.exitCode, decode(run.stderr)).toBe(0);
      expect(JSON.parse(decode(run.stdout))).toEqual({
        before: true,
        after: false,
        result: { ok: true, hidden: ["OPENAI_API_KEY"] },
        kept: key,
      });
    });
  },
);
