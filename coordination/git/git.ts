/**
 * The one module that runs git. Every invocation gets a hardened environment (no pager, editor,
 * prompts, hooks or secrets), command-line config that overrides whatever in the repository would
 * run a program (see git-config-guard.ts), and the caller's identity; plumbing goes through `run`
 * (argument arrays, stdin, exit codes), porcelain conveniences through simple-git (`porcelain`).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { SwarmError } from "../base/errors.js";
import { scrubEnv } from "../base/secret-env.js";
import {
  decode,
  runProcess,
  streamLines,
  type SpawnResult,
} from "../base/spawn.js";
import {
  configEnv,
  FIXED_OVERRIDES,
  packProgramArgs,
  parseConfigList,
  repoOverrides,
  withSubcommandOptions,
  type ConfigEntry,
  type ConfigOverride,
} from "./guard/config-guard.js";
import { retryWhileHubDown } from "./hub-outage.js";
import { sshEnv } from "./ssh-mux.js";

/** Who a commit is by: gitswarm commits as the agent (or human) it acts for. */
export interface GitIdentity {
  name: string;
  email: string;
}

export interface GitResult {
  ok: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface GitRunOptions {
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Extra environment, e.g. GIT_INDEX_FILE for a private index. */
  env?: Record<string, string>;
}

/** Network operations (fetch, push, clone) get this long before their process group is killed. */
export const NETWORK_TIMEOUT_MS = 120_000;
const LOCAL_TIMEOUT_MS = 60_000;

/**
 * Variables that keep git from ever waiting on a human or running a program the repository names:
 * the fixed overrides of git-config-guard.ts plus `repo`'s (found by {@link scanRepoConfig}).
 * Secrets are not among them; git's env is built from a scrubbed copy of ours ({@link gitEnv}).
 */
export function hardenedGitEnv(
  identity?: GitIdentity,
  repo: readonly ConfigOverride[] = [],
): Record<string, string> {
  return {
    GIT_TERMINAL_PROMPT: "0",
    GIT_PAGER: "cat",
    PAGER: "cat",
    GIT_EDITOR: "true",
    GIT_SEQUENCE_EDITOR: "true",
    GIT_MERGE_AUTOEDIT: "no",
    GIT_ASKPASS: "true",
    SSH_ASKPASS: "true",
    ...sshEnv(),
    LC_ALL: "C",
    ...configEnv([...FIXED_OVERRIDES, ...repo]),
    ...(identity
      ? {
          GIT_AUTHOR_NAME: identity.name,
          GIT_AUTHOR_EMAIL: identity.email,
          GIT_COMMITTER_NAME: identity.name,
          GIT_COMMITTER_EMAIL: identity.email,
        }
      : {}),
  };
}

/**
 * The whole environment of a git process: ours without any secret (so a program git runs through a
 * vector nobody thought of still sees no key), then the hardening, then the caller's extras.
 */
export function gitEnv(
  identity?: GitIdentity,
  repo: readonly ConfigOverride[] = [],
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...scrubEnv(process.env),
    ...hardenedGitEnv(identity, repo),
    ...extra,
  };
}

/** What a repository's config calls for: command-line overrides, and its entries (for pack programs). */
export interface RepoGuard {
  overrides: ConfigOverride[];
  entries: ConfigEntry[];
}

const scans = new Map<string, RepoGuard & { signature: string }>();
const NO_GUARD: RepoGuard = { overrides: [], entries: [] };

/**
 * The overrides `dir`'s own config calls for. Listed with one `git config` call, then cached
 * until a config file of the repository changes (its size, inode or nanosecond times); not
 * cached where an include could change behind our back. A config git cannot read yields none
 * (every other git call fails on it too).
 */
export async function scanRepoConfig(dir: string): Promise<RepoGuard> {
  const signature = await configSignature(dir);
  const cached = scans.get(dir);
  if (signature !== undefined && cached?.signature === signature) return cached;
  const result = await runProcess(
    "git",
    ["config", "--list", "--show-scope", "-z"],
    {
      cwd: dir,
      env: gitEnv(),
      extendEnv: false,
      timeoutMs: LOCAL_TIMEOUT_MS,
    },
  ).catch(() => undefined);
  if (result?.exitCode !== 0) return NO_GUARD;
  const entries = parseConfigList(decode(result.stdout));
  const guard = { overrides: repoOverrides(entries), entries };
  const includes = entries.some(
    (e) =>
      e.scope !== "global" &&
      e.scope !== "system" &&
      /^include(if\..+)?\.path$/i.test(e.key),
  );
  if (signature !== undefined && !includes)
    scans.set(dir, { ...guard, signature });
  else scans.delete(dir);
  return guard;
}

/** A fingerprint of a repository's config files; undefined where `dir` is not a repository root. */
async function configSignature(dir: string): Promise<string | undefined> {
  const dotGit = await stat(path.join(dir, ".git")).catch(() => undefined);
  const gitDir = dotGit?.isDirectory()
    ? path.join(dir, ".git")
    : dotGit === undefined
      ? dir
      : undefined; // a gitfile (linked worktree): where it points may change
  if (gitDir === undefined) return undefined;
  const head = await stat(path.join(gitDir, "HEAD")).catch(() => undefined);
  if (head === undefined) return undefined;
  const parts = await Promise.all(
    ["config", "config.worktree"].map(async (name) => {
      const s = await stat(path.join(gitDir, name), { bigint: true }).catch(
        () => undefined,
      );
      return s === undefined
        ? "-"
        : `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    }),
  );
  return parts.join("|");
}

/** A repository (a clone, or a bare hub) and the identity its commits are made under. */
// The git commands that reach the hub; a push retried after a lost answer is still a CAS.
const HUB_COMMANDS = new Set(["fetch", "push", "ls-remote"]);

export class Git {
  constructor(
    readonly dir: string,
    readonly identity?: GitIdentity,
  ) {}

  /** The same repository, committing as someone else. */
  as(identity: GitIdentity): Git {
    return new Git(this.dir, identity);
  }

  /** Runs git and returns the result, whatever the exit code. Throws only if git cannot start. */
  async tryRun(
    args: readonly string[],
    options: GitRunOptions = {},
  ): Promise<GitResult> {
    const once = async (): Promise<GitResult> => {
      const result = await this.runRaw(args, options);
      const stderr = decode(result.stderr);
      const timedOut = result.timedOut
        ? ` (killed after ${options.timeoutMs ?? LOCAL_TIMEOUT_MS} ms)`
        : "";
      return {
        ok: result.exitCode === 0,
        exitCode: result.exitCode,
        stdout: decode(result.stdout),
        stderr: stderr + timedOut,
      };
    };
    // Talking to the hub: an outage is ridden out for the process's window (hub-outage.ts).
    return HUB_COMMANDS.has(args[0] ?? "")
      ? retryWhileHubDown(once, options.signal)
      : once();
  }

  /** Runs git and returns raw bytes (for binary-safe output such as `cat-file --batch`). */
  async runRaw(
    args: readonly string[],
    options: GitRunOptions = {},
  ): Promise<SpawnResult> {
    const guard = await scanRepoConfig(this.dir);
    const guarded = withSubcommandOptions(
      args,
      packProgramArgs(guard.entries, args),
    );
    return runProcess("git", guarded, {
      cwd: this.dir,
      env: gitEnv(this.identity, guard.overrides, options.env),
      extendEnv: false,
      input: options.input,
      timeoutMs: options.timeoutMs ?? LOCAL_TIMEOUT_MS,
      signal: options.signal,
    });
  }

  /** Runs git and returns stdout; a non-zero exit throws `SwarmError('git-failed')` with stderr. */
  async run(
    args: readonly string[],
    options: GitRunOptions = {},
  ): Promise<string> {
    const result = await this.tryRun(args, options);
    if (!result.ok) throw gitFailure(this.dir, args, result);
    return result.stdout;
  }

  /**
   * Streams stdout lines of a long-running git command (e.g. `log` over 100k commits). It starts
   * at once, so it gets the repository overrides of the last scan of this directory (if any).
   */
  stream(args: readonly string[], options: GitRunOptions = {}) {
    const guard = scans.get(this.dir) ?? NO_GUARD;
    const guarded = withSubcommandOptions(
      args,
      packProgramArgs(guard.entries, args),
    );
    return streamLines("git", guarded, {
      cwd: this.dir,
      env: gitEnv(this.identity, scans.get(this.dir)?.overrides, options.env),
      extendEnv: false,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
  }

  /** simple-git over the same directory and environment, for porcelain (status, clone, remotes). */
  porcelain(): SimpleGit {
    // simple-git refuses to start when given env it considers unsafe; ours only restricts git.
    return simpleGit({
      baseDir: this.dir,
      unsafe: { allowUnsafeSshCommand: true, allowUnsafeHooksPath: true },
    }).env(gitEnv(this.identity, scans.get(this.dir)?.overrides));
  }
}

/** Builds the error for a failed git command: the command, the directory and git's own words. */
export function gitFailure(
  dir: string,
  args: readonly string[],
  result: GitResult,
): SwarmError {
  const detail =
    result.stderr.trim() ||
    result.stdout.trim() ||
    `exit code ${result.exitCode}`;
  return new SwarmError(
    "git-failed",
    `git ${args.join(" ")} failed in ${dir}: ${detail}`,
  );
}
