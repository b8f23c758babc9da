/** The pure parts of issue 11: which names are secret, and which repository config git must override. */
import { describe, expect, it } from "vitest";
import {
  declareSecretNames,
  isSecretName,
  redact,
  scrubEnv,
  secretEntries,
} from "../../coordination/base/secret-env.js";
import {
  packProgramArgs,
  parseConfigList,
  repoOverrides,
  withSubcommandOptions,
} from "../../coordination/git/guard/config-guard.js";

describe("secret names", () => {
  it("match *_KEY, *_TOKEN, *_SECRET, *PASSWORD*, *_API_KEY in any case, and keep ordinary names", () => {
    for (const name of [
      "DEEPSEEK_KEY",
      "deepseek_key",
      "FOO_TOKEN",
      "Client_Secret",
      "DBPASSWORD",
      "my_password_file",
      "MISTRAL_API_KEY",
      "AWS_SECRET_ACCESS_KEY",
      "GH_TOKEN",
      "OPENAI_APIKEY",
    ])
      expect(isSecretName(name), name).toBe(true);
    for (const name of [
      "PATH",
      "HOME",
      "GIT_AUTHOR_NAME",
      "TOKENIZERS_PARALLELISM",
      "KEYBOARD_LAYOUT",
      "SSH_AUTH_SOCK",
      "MONKEY",
    ])
      expect(isSecretName(name), name).toBe(false);
  });

  it("include names a config declares, whatever they look like", () => {
    expect(isSecretName("ACME_LLM")).toBe(false);
    declareSecretNames(["ACME_LLM"]);
    expect(isSecretName("ACME_LLM")).toBe(true);
    expect(scrubEnv({ ACME_LLM: "v", PATH: "/bin" })).toEqual({ PATH: "/bin" });
  });

  it("redact by name, longest value first", () => {
    const secrets = secretEntries({
      SHORT_KEY: "abcdefgh",
      LONG_TOKEN: "abcdefgh-ijkl",
      PATH: "abcdefgh-not-a-secret",
      TINY_KEY: "abc",
    });
    expect(secrets.map((s) => s.name)).toEqual(["LONG_TOKEN", "SHORT_KEY"]);
    expect(redact("x abcdefgh-ijkl y abcdefgh", secrets)).toBe(
      "x [redacted:LONG_TOKEN] y [redacted:SHORT_KEY]",
    );
    expect(redact("bare abcdefgh", ["abcdefgh"])).toBe("bare [redacted]");
  });
});

describe("repository config overrides", () => {
  const listing = [
    "system\0credential.https://example.com.helper\nstore",
    "global\0filter.lfs.process\ngit-lfs filter-process",
    "global\0filter.lfs.required\ntrue",
    "local\0core.repositoryformatversion\n0",
    "local\0filter.lfs.process\n/tmp/evil",
    "local\0filter.Spy.clean\n/tmp/evil clean",
    "local\0diff.spy.textconv\n/tmp/evil",
    "worktree\0merge.spy.driver\n/tmp/evil %O",
    "local\0merge.gitswarm-progress.driver\n'node' 'gitswarm' merge-driver %O %A %B %P",
    "local\0diff.external\n/tmp/evil",
    "local\0credential.helper\n/tmp/evil",
    "local\0remote.origin.uploadpack\n/tmp/evil",
    "local\0include.path",
    "",
  ].join("\0");

  it("parses scope, key and value (a key with no value too)", () => {
    const entries = parseConfigList(listing);
    expect(entries[0]).toEqual({
      scope: "system",
      key: "credential.https://example.com.helper",
      value: "store",
    });
    expect(entries.at(-1)).toEqual({
      scope: "local",
      key: "include.path",
      value: "",
    });
  });

  it("neutralises every program the repository names, keeps the user's own, and leaves our merge driver", () => {
    const overrides = repoOverrides(parseConfigList(listing));
    expect(overrides).toEqual([
      ["filter.lfs.process", "git-lfs filter-process"],
      ["filter.lfs.required", "true"],
      ["filter.Spy.clean", ""],
      ["filter.Spy.required", "false"],
      ["diff.spy.textconv", "cat"],
      ["merge.spy.driver", "false"],
      ["diff.external", "true"],
      ["credential.helper", ""],
      ["credential.https://example.com.helper", "store"],
    ]);
  });

  it("names the pack programs on the command line of fetch and push when the repository names its own", () => {
    const entries = parseConfigList(listing);
    expect(packProgramArgs(entries, ["fetch", "origin"])).toEqual([
      "--upload-pack=git-upload-pack",
    ]);
    expect(packProgramArgs(entries, ["push", "origin", "main"])).toEqual([]);
    expect(packProgramArgs([], ["fetch"])).toEqual([]);
    expect(
      withSubcommandOptions(
        ["-c", "a=b", "fetch", "origin"],
        ["--upload-pack=git-upload-pack"],
      ),
    ).toEqual([
      "-c",
      "a=b",
      "fetch",
      "--upload-pack=git-upload-pack",
      "origin",
    ]);
  });
});
