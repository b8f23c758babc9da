/**
 * The one module that runs git. Every invocation gets a hardened environment (no pager, editor,
 * prompts or hooks) and the caller's identity; plumbing goes through `run` (argument arrays, stdin,
 * exit codes), porcelain conveniences through simple-git (`porcelain`).
 */
import { simpleGit, type SimpleGit } from "simple-git";
import { SwarmError } from "./base/errors.js";
import {
  decode,
  runProcess,
  streamLines,
  type SpawnResult,
} from "./base/spawn.js";

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

/** Variables that keep git from ever waiting on a human or running someone's hooks. */
export function hardenedGitEnv(identity?: GitIdentity): Record<string, string> {
  return {
    GIT_TERMINAL_PROMPT: "0",
    GIT_PAGER: "cat",
    PAGER: "cat",
    GIT_EDITOR: "true",
    GIT_SEQUENCE_EDITOR: "true",
    GIT_MERGE_AUTOEDIT: "no",
    GIT_ASKPASS: "true",
    SSH_ASKPASS: "true",
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes",
    LC_ALL: "C",
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: "core.hooksPath",
    GIT_CONFIG_VALUE_0: "/dev/null",
    GIT_CONFIG_KEY_1: "advice.detachedHead",
    GIT_CONFIG_VALUE_1: "false",
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

/** A repository (a clone, or a bare hub) and the identity its commits are made under. */
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
  }

  /** Runs git and returns raw bytes (for binary-safe output such as `cat-file --batch`). */
  runRaw(
    args: readonly string[],
    options: GitRunOptions = {},
  ): Promise<SpawnResult> {
    return runProcess("git", args, {
      cwd: this.dir,
      env: { ...hardenedGitEnv(this.identity), ...options.env },
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

  /** Streams stdout lines of a long-running git command (e.g. `log` over 100k commits). */
  stream(args: readonly string[], options: GitRunOptions = {}) {
    return streamLines("git", args, {
      cwd: this.dir,
      env: { ...hardenedGitEnv(this.identity), ...options.env },
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
    }).env({
      ...process.env,
      ...hardenedGitEnv(this.identity),
    });
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
