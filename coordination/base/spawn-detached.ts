/**
 * Starting a long-lived helper that nothing may wait on (an ssh ControlMaster): no pipes at all
 * (its stdio is /dev/null, so no caller waits for an end-of-file it holds back: a master that
 * inherits a git call's stdout holds that call open until the master exits), its own process
 * group (killed whole), and it does not keep Node's event loop alive. The other spawns, with
 * output, timeouts and aborts, are in spawn.ts.
 */
import { execa } from "execa";
import { SwarmError } from "./errors.js";
import { scrubEnv } from "./secret-env.js";

/** A detached helper: its pid (its process group's) and its end. */
export interface DetachedProcess {
  pid: number;
  /** Resolves with the exit code (null: ended by a signal) when the process ends; never rejects. */
  exited: Promise<number | null>;
}

/**
 * Starts `file args` detached in `cwd` with our environment less secrets plus `env`; `shell` runs
 * `file` as a shell command line the user wrote (their GIT_SSH_COMMAND). Throws
 * `SwarmError('spawn-failed')` when it cannot start.
 */
export function startDetached(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; shell?: boolean },
): DetachedProcess {
  const child = execa(file, args, {
    cwd: options.cwd,
    env: { ...scrubEnv(process.env), ...options.env },
    extendEnv: false,
    shell: options.shell ?? false,
    stdio: "ignore",
    detached: true,
    cleanup: false,
    reject: false,
  });
  if (child.pid === undefined)
    throw new SwarmError(
      "spawn-failed",
      `could not start '${file}' in ${options.cwd}`,
    );
  child.unref();
  const exited = child.then(
    (result) => result.exitCode ?? null,
    () => null,
  );
  return { pid: child.pid, exited };
}
