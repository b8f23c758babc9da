/**
 * A user's GIT_SSH_COMMAND may be a wrapper of ssh (a script that picks a key or a proxy). Git cannot
 * tell such a command is OpenSSH and probes it with `-G` before every fetch and push: one more
 * process per network call, about 14 per task over an ssh hub. The run's mux command passed
 * OpenSSH's -o Control* options when its master started, so git is told; the user's own command,
 * outside a mux, is still probed (it may be plink). The wrapper here runs the remote command
 * locally, as sshd would on the hub.
 */
import { chmod, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Git } from "../../../coordination/git/git.js";
import { useHubSshCommand } from "../../../coordination/git/ssh-mux.js";
import { makeTempDir } from "../../support/temp-dir.js";

async function sshWrapper(
  dir: string,
): Promise<{ command: string; log: string }> {
  const log = path.join(dir, "ssh.log");
  const command = path.join(dir, "ssh-wrapper");
  // Logs its arguments; `-G` (the probe) prints a config and exits; else runs the last argument.
  await writeFile(
    command,
    `#!/bin/sh\necho "$*" >> '${log}'\nfor a; do [ "$a" = -G ] && { echo "user x"; exit 0; }; done\nfor a; do last="$a"; done\nexec sh -c "$last"\n`,
  );
  await chmod(command, 0o755);
  await writeFile(log, "");
  return { command, log };
}

async function lsRemote(dir: string): Promise<void> {
  const hub = path.join(dir, "hub.git");
  await new Git(dir).run(["init", "--quiet", "--bare", hub]);
  await new Git(dir).run(["ls-remote", `ssh://hub.invalid${hub}`]);
}

const probes = async (log: string) =>
  (await readFile(log, "utf8"))
    .split("\n")
    .filter((line) => line.split(" ").includes("-G")).length;

describe("the ssh variant of git's calls", () => {
  const userCommand = process.env.GIT_SSH_COMMAND;
  afterEach(() => {
    useHubSshCommand(undefined);
    if (userCommand === undefined) delete process.env.GIT_SSH_COMMAND;
    else process.env.GIT_SSH_COMMAND = userCommand;
  });

  it("is named for the run's mux command: git runs no probe before the call", async () => {
    const dir = await makeTempDir("gitswarm-ssh-variant-");
    const ssh = await sshWrapper(dir);
    useHubSshCommand(ssh.command);
    await lsRemote(dir);
    const calls = (await readFile(ssh.log, "utf8")).trim().split("\n");
    expect(calls.some((line) => line.includes("git-upload-pack"))).toBe(true);
    expect(await probes(ssh.log)).toBe(0);
  });

  it("is left to git for the user's own GIT_SSH_COMMAND (it probes)", async () => {
    const dir = await makeTempDir("gitswarm-ssh-variant-");
    const ssh = await sshWrapper(dir);
    process.env.GIT_SSH_COMMAND = ssh.command;
    await lsRemote(dir);
    expect(await probes(ssh.log)).toBe(1);
  });
});
