/**
 * Issue 11: a `command` agent's process never gets a configured key (`apiKeyEnv: DEEPSEEK_KEY` on
 * another agent, or one under a harmless-looking name) nor a secret-looking variable (`FOO_TOKEN`)
 * unless its `passEnv` names it; a key value its output shows anyway (read from elsewhere) is
 * redacted from the summary that becomes the done-commit message, naming the variable.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAgents, defaultSpec } from "../../agents/index.js";
import { makeRequest, makeWorkspace } from "./fixtures/workspace.js";

const ENV = {
  PATH: process.env.PATH,
  DEEPSEEK_KEY: "sk-deepseek-command-0123456789",
  VENDORX: "vendorx-command-0123456789",
  FOO_TOKEN: "foo-token-command-0123456789",
  HOME_DIRISH: "ordinary-value",
};

function specs(passEnv: string[] = []) {
  return [
    defaultSpec("command", "worker", {
      command: 'env > env.txt; cat "$LEAK_FILE" 2>/dev/null; echo finished',
      passEnv,
    }),
    defaultSpec("openai", "deepseek", {
      apiKeyEnv: "DEEPSEEK_KEY",
      baseUrl: "http://127.0.0.1:9/v1",
    }),
    defaultSpec("openai", "vendorx", {
      apiKeyEnv: "VENDORX",
      baseUrl: "http://127.0.0.1:9/v1",
    }),
  ];
}

describe("command agent and secrets", () => {
  it("withholds every configured key and secret-looking variable; redacts key values from its summary", async () => {
    const workspace = await makeWorkspace();
    const leak = `${workspace}-leak.txt`;
    await fs.writeFile(leak, `${ENV.DEEPSEEK_KEY} ${ENV.FOO_TOKEN}\n`);
    const [worker] = createAgents(specs(), {
      env: { ...ENV, LEAK_FILE: leak },
    });
    const outcome = await worker!.work(makeRequest(workspace));
    const env = await fs.readFile(path.join(workspace, "env.txt"), "utf8");
    for (const name of ["DEEPSEEK_KEY", "VENDORX", "FOO_TOKEN"]) {
      expect(env).not.toContain(name);
      expect(env).not.toContain(ENV[name as keyof typeof ENV]);
    }
    expect(env).toContain("HOME_DIRISH=ordinary-value");
    expect(outcome.kind).toBe("finished");
    const summary = outcome.kind === "finished" ? outcome.summary : "";
    expect(summary).toContain("[redacted:DEEPSEEK_KEY] [redacted:FOO_TOKEN]");
    expect(JSON.stringify(outcome)).not.toContain("0123456789");
  });

  it("passes exactly what passEnv names", async () => {
    const workspace = await makeWorkspace();
    const [worker] = createAgents(specs(["FOO_TOKEN"]), { env: ENV });
    await worker!.work(makeRequest(workspace));
    const env = await fs.readFile(path.join(workspace, "env.txt"), "utf8");
    expect(env).toContain(`FOO_TOKEN=${ENV.FOO_TOKEN}`);
    expect(env).not.toContain(ENV.DEEPSEEK_KEY);
    expect(env).not.toContain(ENV.VENDORX);
  });
});
