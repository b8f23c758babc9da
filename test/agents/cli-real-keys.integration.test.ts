/**
 * Issue 11: missing keys and logins as the real vendor CLIs report them. `gitswarm doctor` runs each
 * real CLI's --version and says how to fix a missing login or key (and never prints a key); a CLI
 * started without its key fails as `auth`, in its own words, without reaching the server. Issue 23:
 * doctor catches the auth type gemini-cli refuses headless (a baseUrl and no selectedType).
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, defaultSpec, runDoctor } from "../../agents/index.js";
import {
  startCliVendor,
  type CliVendor,
  type CliVendorServer,
} from "./fixtures/cli-vendor-streams.js";
import { makeCliHome, probeCli, REAL_CLIS } from "./fixtures/real-clis.js";
import { makeRequest, makeWorkspace } from "./fixtures/workspace.js";

const VENDORS = Object.keys(REAL_CLIS) as CliVendor[];
const probes = Object.fromEntries(
  await Promise.all(VENDORS.map(async (v) => [v, await probeCli(v)] as const)),
) as Record<CliVendor, Awaited<ReturnType<typeof probeCli>>>;

const VERSION: Record<CliVendor, RegExp> = {
  "claude-code": /claude 2\.1\.328 \(Claude Code\)/,
  codex: /codex codex-cli 0\.169\.0/,
  "gemini-cli": /gemini 0\.61\.0/,
};
const FIX: Record<CliVendor, RegExp> = {
  "claude-code":
    /run `claude` once and log in with \/login, or export ANTHROPIC_API_KEY=/,
  codex: /run `codex login`, or export OPENAI_API_KEY=/,
  "gemini-cli":
    /run `gemini` once and sign in with Google, or export GEMINI_API_KEY=/,
};

let home: Awaited<ReturnType<typeof makeCliHome>>;
beforeAll(async () => {
  home = await makeCliHome();
});
afterAll(async () => {
  await home.cleanup();
});

describe.each(VENDORS)("the real %s CLI without its key", (vendor) => {
  const probe = probes[vendor];
  const skip = probe.ok ? false : probe.reason;
  if (skip) console.warn(`skipping ${vendor}: ${skip}`);

  it.skipIf(skip)(
    "doctor: --version answers, the missing login or key fails with its fix; with the key it passes and hides it",
    async () => {
      const spec = defaultSpec(vendor, vendor);
      const without = await runDoctor([spec], home.env, { timeoutMs: 60_000 });
      const check = without.checks.find((c) => c.agent === vendor);
      expect(check).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/not logged in, and none of/),
        fix: expect.stringMatching(FIX[vendor]),
      });
      const key = "sk-doctor-0123456789abcdef";
      const withKey = await runDoctor(
        [spec],
        { ...home.env, [REAL_CLIS[vendor].keyEnv]: key },
        { timeoutMs: 60_000 },
      );
      const ok = withKey.checks.find((c) => c.agent === vendor);
      expect(ok).toMatchObject({
        ok: true,
        detail: expect.stringMatching(VERSION[vendor]),
      });
      expect(ok?.detail).toContain(`${REAL_CLIS[vendor].keyEnv} is set`);
      expect(JSON.stringify(withKey)).not.toContain(key);
    },
    120_000,
  );

  it.skipIf(skip)(
    "a run without the key fails as auth in the CLI's own words and never reaches the server",
    async () => {
      let server: CliVendorServer | undefined;
      const workspace = await makeWorkspace({ "a.txt": "alpha\n" });
      try {
        server = await startCliVendor(vendor, {
          file: "b.txt",
          content: "b\n",
          final: "done",
        });
        const agent = createAgent(
          defaultSpec(vendor, vendor, {
            model: REAL_CLIS[vendor].model,
            baseUrl: server.url,
          }),
          { env: home.env },
        );
        const outcome = await agent.work(
          makeRequest(workspace, { budget: { timeoutMs: 90_000 } }),
        );
        expect(outcome).toMatchObject({
          kind: "failed",
          error: { kind: "auth" },
        });
        expect(server.sent.calls).toBe(0);
      } finally {
        await server?.close();
        await rm(workspace, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe("the real gemini CLI pointed at a baseUrl without an auth type chosen", () => {
  const probe = probes["gemini-cli"];
  const skip = probe.ok ? false : probe.reason;

  it.skipIf(skip)(
    "doctor names the cause and the fix that the run itself would only fail on (exit 41)",
    async () => {
      const server = await startCliVendor("gemini-cli", {
        file: "b.txt",
        content: "b\n",
        final: "done",
      });
      const workspace = await makeWorkspace({ "a.txt": "alpha\n" });
      const settings = path.join(home.home, ".gemini", "settings.json");
      const chosen = await readFile(settings, "utf8");
      try {
        // As a user's ~/.gemini/settings.json often is: no security.auth.selectedType.
        await writeFile(
          settings,
          JSON.stringify({ telemetry: { enabled: false } }),
        );
        const spec = defaultSpec("gemini-cli", "gemini-cli", {
          model: REAL_CLIS["gemini-cli"].model,
          baseUrl: server.url,
        });
        const env = { ...home.env, GEMINI_API_KEY: "sk-gateway-0123456789" };
        const report = await runDoctor([spec], env, { timeoutMs: 60_000 });
        expect(
          report.checks.find((c) => c.agent === "gemini-cli"),
        ).toMatchObject({
          ok: false,
          problem: expect.stringMatching(/auth type 'gateway'/),
          fix: expect.stringContaining(
            `"selectedType":"gemini-api-key"}}} to ${settings}`,
          ),
        });
        // The real CLI refuses for exactly that reason, before any request.
        const outcome = await createAgent(spec, { env }).work(
          makeRequest(workspace, { budget: { timeoutMs: 90_000 } }),
        );
        expect(outcome).toMatchObject({
          kind: "failed",
          error: {
            kind: "auth",
            detail: expect.stringMatching(/Invalid auth method selected/),
          },
        });
        expect(server.sent.calls).toBe(0);
      } finally {
        await writeFile(settings, chosen);
        await server.close();
        await rm(workspace, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
