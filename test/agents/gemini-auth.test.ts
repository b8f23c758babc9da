/**
 * Issue 23: doctor (and so `run --dry-run`) catches the auth type headless gemini-cli 0.61 refuses
 * before it starts — the cause a run would only report as exit 41 with JSON on stderr.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkGeminiAuth,
  judgeGeminiAuth,
} from "../../agents/doctor/gemini-auth.js";

const USER = "/home/u/.gemini/settings.json";
const at = (value: string, file = USER) => ({ value, file });

describe("gemini-cli's auth type, judged as the CLI judges it", () => {
  it("refuses the 'gateway' type a baseUrl derives, with the settings line that fixes it", () => {
    const check = judgeGeminiAuth(
      { userFile: USER },
      { GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9", GEMINI_API_KEY: "k" },
    );
    expect(check).toEqual({
      ok: false,
      problem: expect.stringMatching(
        /auth type 'gateway' \(from GOOGLE_GEMINI_BASE_URL.*Invalid auth method selected/,
      ),
      fix: `with a baseUrl, gemini-cli needs its auth type chosen: add {"security":{"auth":{"selectedType":"gemini-api-key"}}} to ${USER}`,
    });
  });

  it("passes a baseUrl once settings choose the API-key type", () => {
    expect(
      judgeGeminiAuth(
        { userFile: USER, selectedType: at("gemini-api-key") },
        { GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9", GEMINI_API_KEY: "k" },
      ),
    ).toEqual({
      ok: true,
      detail: `auth type gemini-api-key (from security.auth.selectedType in ${USER})`,
    });
  });

  it("names a missing type (a Google login without selectedType) and an unknown one", () => {
    expect(judgeGeminiAuth({ userFile: USER }, {})).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/gemini-cli has no auth type/),
      fix: expect.stringContaining('"selectedType":"oauth-personal"'),
    });
    expect(
      judgeGeminiAuth({ userFile: USER, selectedType: at("api-key") }, {}),
    ).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/'api-key' \(from security\.auth/),
      fix: `set security.auth.selectedType in ${USER} to one of oauth-personal, gemini-api-key, vertex-ai, compute-default-credentials`,
    });
  });

  it("checks an enforced type and vertex-ai's variables", () => {
    expect(
      judgeGeminiAuth(
        { userFile: USER, enforcedType: at("vertex-ai", "/etc/s.json") },
        { GEMINI_API_KEY: "k" },
      ),
    ).toMatchObject({
      ok: false,
      problem: expect.stringMatching(
        /\/etc\/s\.json enforces .*'vertex-ai'.*'gemini-api-key'/,
      ),
    });
    expect(
      judgeGeminiAuth(
        { userFile: USER },
        { GOOGLE_GENAI_USE_VERTEXAI: "true" },
      ),
    ).toMatchObject({
      ok: false,
      fix: expect.stringMatching(/GOOGLE_CLOUD_PROJECT/),
    });
    expect(
      judgeGeminiAuth(
        { userFile: USER },
        { GOOGLE_GENAI_USE_VERTEXAI: "true", GOOGLE_API_KEY: "k" },
      ),
    ).toMatchObject({ ok: true });
  });
});

describe("gemini-cli's settings files", () => {
  let home = "";
  let repo = "";
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "gitswarm-gemini-auth-"));
    repo = path.join(home, "repo");
    await mkdir(path.join(home, ".gemini"), { recursive: true });
    await mkdir(path.join(repo, ".gemini"), { recursive: true });
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it("reads the user's file, and the repo's (the clone's) over it", async () => {
    const env = {
      HOME: home,
      GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9",
      GEMINI_CLI_SYSTEM_SETTINGS_PATH: path.join(home, "none.json"),
    };
    await writeFile(
      path.join(home, ".gemini", "settings.json"),
      JSON.stringify({
        security: { auth: { selectedType: "gemini-api-key" } },
      }),
    );
    expect(await checkGeminiAuth(env, repo)).toMatchObject({ ok: true });
    await writeFile(
      path.join(repo, ".gemini", "settings.json"),
      JSON.stringify({ security: { auth: { selectedType: "gateway" } } }),
    );
    expect(await checkGeminiAuth(env, repo)).toMatchObject({
      ok: false,
      problem: expect.stringContaining(
        path.join(repo, ".gemini", "settings.json"),
      ),
    });
  });
});
