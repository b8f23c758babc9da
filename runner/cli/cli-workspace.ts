/** Opens the clone a CLI command acts in (`--repo`), with its config and the acting name (`--as`). */
import { stat } from "node:fs/promises";
import path from "node:path";
import { Git } from "../../coordination/git.js";
import {
  agentIdentity,
  openWorkspace,
  type Workspace,
} from "../../coordination/workspace.js";
import { loadConfig, type SwarmConfig } from "../config.js";
import { UserError } from "../../coordination/base/errors.js";
import { repoDir, type CommandIo } from "./command.js";

export interface CliWorkspace {
  repo: string;
  ws: Workspace;
  config: SwarmConfig;
}

/** Resolves `--repo`, checks it is a git clone with the hub remote, and loads its config. */
export async function openCliWorkspace(
  io: CommandIo,
  repo: string | undefined,
  actor?: string,
): Promise<CliWorkspace> {
  const dir = repoDir(io, repo);
  await requireGitRepo(dir);
  const config = await loadConfig(dir);
  const ws = openWorkspace(dir, {
    remote: config.hub.remote,
    branch: config.hub.branch,
    identity: actor === undefined ? undefined : agentIdentity(actor),
  });
  const remotes = await ws.git.run(["remote"]);
  if (!remotes.split("\n").includes(ws.remote)) {
    throw new UserError(
      "no-hub-remote",
      `${dir} has no remote '${ws.remote}' (the hub). Clone the hub, or add it: git remote add ${ws.remote} <hub-url>`,
    );
  }
  return { repo: dir, ws, config };
}

/** Throws a UserError unless `dir` is inside a git work tree. */
export async function requireGitRepo(dir: string): Promise<void> {
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) throw new UserError("not-a-repo", `${dir} does not exist`);
  const inside = await new Git(dir).tryRun([
    "rev-parse",
    "--is-inside-work-tree",
  ]);
  if (!inside.ok || inside.stdout.trim() !== "true") {
    throw new UserError(
      "not-a-repo",
      `${dir} is not a git repository; run 'gitswarm init' there or pass --repo DIR`,
    );
  }
}

/** Validates the `--as NAME` of a command that acts for someone. */
export function requireActor(
  command: string,
  name: string | undefined,
): string {
  if (name === undefined || name.trim() === "") {
    throw new UserError(
      "usage",
      `gitswarm ${command} needs --as NAME (the agent or human acting)`,
    );
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name)) {
    throw new UserError(
      "usage",
      `--as '${name}': use letters, digits, '.', '_', '@' or '-' (at most 64)`,
    );
  }
  return name;
}

/** A path relative to the repo for messages. */
export function shortPath(repo: string, file: string): string {
  return path.relative(process.cwd(), path.join(repo, file)) || file;
}
