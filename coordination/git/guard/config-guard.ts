/**
 * Neutralises repository config that would make gitswarm's own git calls run a program. An
 * agent's clone is the agent's filesystem: its commands can write `.git/config`, hooks and
 * `.gitattributes`. git reads those on every call (a heartbeat's `git add`, a done-commit, a
 * fetch), so anything there that names a program is overridden with command-line config, which
 * outranks every config file. Fixed keys (fsmonitor, hooks, signing programs, protocols) are
 * overridden always; drivers with names of the attacker's choosing (`filter.<x>.clean`,
 * `diff.<x>.textconv`, `merge.<x>.driver`, `remote.<x>.uploadpack`, credential helpers) are
 * found by listing the config and overridden one by one — with the user's own global or system
 * value where there is one (git-lfs keeps working), else with a value that runs nothing.
 * The backstop for anything missed is git's environment: it never holds a secret.
 */

/** One entry of `git config --list --show-scope -z`. */
export interface ConfigEntry {
  scope: string;
  key: string;
  value: string;
}

/** A `-c key=value` pair, passed to git as GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n. */
export type ConfigOverride = readonly [key: string, value: string];

/** The PROGRESS.md merge driver gitswarm installs itself (coordination/git/merge-driver-setup.ts). */
const OWN_MERGE_DRIVER = "merge.gitswarm-progress.driver";

/** Overrides every git call gets, whatever the repository says. */
export const FIXED_OVERRIDES: readonly ConfigOverride[] = [
  ["core.hooksPath", "/dev/null"],
  ["core.fsmonitor", "false"],
  ["core.askPass", ""],
  ["protocol.ext.allow", "never"],
  // git:// pushes are unused by hubs, and core.gitProxy would run a program for them.
  ["protocol.git.allow", "never"],
  ["commit.gpgSign", "false"],
  ["tag.gpgSign", "false"],
  ["push.gpgSign", "false"],
  ["log.showSignature", "false"],
  ["gpg.program", "gpg"],
  ["gpg.ssh.program", "ssh-keygen"],
  ["gpg.x509.program", "gpgsm"],
  ["fetch.recurseSubmodules", "false"],
  ["submodule.recurse", "false"],
  ["push.recurseSubmodules", "no"],
  ["advice.detachedHead", "false"],
];

/** Keys whose name the repository chooses, and what runs nothing in their place. */
const DRIVER_KEYS: readonly { pattern: RegExp; neutral: string }[] = [
  // An empty filter command is skipped by git (convert.c); `required` is cleared below.
  { pattern: /^filter\..+\.(clean|smudge|process)$/, neutral: "" },
  // textconv is run as `<cmd> <file>`: `cat` shows the file as it is.
  { pattern: /^diff\..+\.textconv$/, neutral: "cat" },
  { pattern: /^diff\..+\.command$/, neutral: "true" },
  { pattern: /^diff\.external$/, neutral: "true" },
  // A merge driver that exits non-zero leaves a conflict; nothing else runs.
  { pattern: /^merge\..+\.driver$/, neutral: "false" },
];

/**
 * For these git uses the *first* value it reads, so command-line config cannot outrank the
 * repository's: the program is named on the command line instead (see {@link packProgramArgs}).
 */
const PACK_PROGRAMS = {
  uploadpack: {
    option: "--upload-pack=git-upload-pack",
    commands: ["fetch", "pull", "ls-remote", "clone", "archive"],
  },
  receivepack: {
    option: "--receive-pack=git-receive-pack",
    commands: ["push", "send-pack"],
  },
} as const;

const USER_SCOPES = new Set(["system", "global"]);
const REPO_SCOPES = new Set(["local", "worktree"]);
const CREDENTIAL_HELPER = /^credential\.(.+\.)?helper$/;

/** Parses `git config --list --show-scope -z` output (`scope NUL key LF value NUL`). */
export function parseConfigList(text: string): ConfigEntry[] {
  const fields = text.split("\0");
  const out: ConfigEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const scope = fields[i] ?? "";
    const item = fields[i + 1] ?? "";
    const newline = item.indexOf("\n");
    out.push(
      newline === -1
        ? { scope, key: item, value: "" }
        : {
            scope,
            key: item.slice(0, newline),
            value: item.slice(newline + 1),
          },
    );
  }
  return out;
}

/**
 * The overrides a repository's config calls for, beyond {@link FIXED_OVERRIDES}: one for each
 * program-running key the repository (local or worktree scope) sets. Pure.
 */
export function repoOverrides(
  entries: readonly ConfigEntry[],
): ConfigOverride[] {
  const userValue = new Map<string, string>();
  for (const e of entries)
    if (USER_SCOPES.has(e.scope)) userValue.set(e.key, e.value);
  const repoKeys = new Set(
    entries.filter((e) => REPO_SCOPES.has(e.scope)).map((e) => e.key),
  );
  const out: ConfigOverride[] = [];
  for (const key of repoKeys) {
    if (key === OWN_MERGE_DRIVER) continue;
    const driver = DRIVER_KEYS.find((d) => d.pattern.test(key));
    if (driver === undefined) continue;
    out.push([key, userValue.get(key) ?? driver.neutral]);
    const filter = /^(filter\..+)\.(clean|smudge|process)$/.exec(key);
    if (filter !== null) {
      const required = `${filter[1]}.required`;
      out.push([required, userValue.get(required) ?? "false"]);
    }
  }
  if ([...repoKeys].some((key) => CREDENTIAL_HELPER.test(key))) {
    // An empty helper resets the list; then the user's own helpers, in their order.
    out.push(["credential.helper", ""]);
    for (const e of entries)
      if (USER_SCOPES.has(e.scope) && CREDENTIAL_HELPER.test(e.key))
        out.push([e.key, e.value]);
  }
  return dedupe(out);
}

function dedupe(overrides: ConfigOverride[]): ConfigOverride[] {
  const seen = new Set<string>();
  return overrides.filter(([key, value]) => {
    const id = `${key}\0${value}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * The options that name the pack programs on the command line for `args` (a fetch, push, …) when
 * the repository's config names its own for some remote. Pure.
 */
export function packProgramArgs(
  entries: readonly ConfigEntry[],
  args: readonly string[],
): string[] {
  const command = subcommandOf(args);
  const out: string[] = [];
  for (const [kind, pack] of Object.entries(PACK_PROGRAMS)) {
    if (!(pack.commands as readonly string[]).includes(command ?? "")) continue;
    const suffix = `.${kind}`;
    if (
      entries.some(
        (e) =>
          REPO_SCOPES.has(e.scope) &&
          e.key.startsWith("remote.") &&
          e.key.endsWith(suffix),
      )
    )
      out.push(pack.option);
  }
  return out;
}

/** Inserts `options` right after git's subcommand in `args` (after `-c k=v`, `-C dir` and the like). */
export function withSubcommandOptions(
  args: readonly string[],
  options: readonly string[],
): string[] {
  if (options.length === 0) return [...args];
  const at = subcommandIndex(args);
  if (at === -1) return [...args];
  return [...args.slice(0, at + 1), ...options, ...args.slice(at + 1)];
}

function subcommandOf(args: readonly string[]): string | undefined {
  const at = subcommandIndex(args);
  return at === -1 ? undefined : args[at];
}

function subcommandIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-c" || arg === "-C") i++;
    else if (!arg.startsWith("-")) return i;
  }
  return -1;
}

/** The environment variables that pass `overrides` to git as command-line config. */
export function configEnv(
  overrides: readonly ConfigOverride[],
): Record<string, string> {
  const env: Record<string, string> = {
    GIT_CONFIG_COUNT: String(overrides.length),
  };
  overrides.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
