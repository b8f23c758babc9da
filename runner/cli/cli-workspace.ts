/** Opens the clone a CLI command acts in (`--repo`), with its config, its hub remote and the acting name (`--as`). */
import { stat } from "node:fs/promises";
import { Git } from "../../coordination/git/git.js";
import {
  agentIdentity,
  openWorkspace,
  type Workspace,
} from "../../coordination/git/workspace.js";
import { loadConfig, type SwarmConfig } from "../config.js";
import { resolveHubRemote } from "../hub-location.js";
import { UserError } from "../../coordination/base/errors.js";
import { repoDir, type CommandIo } from "./command.js";

export interface CliWorkspace {
  repo: string;
  ws: Workspace;
  config: SwarmConfig;
  /** Who acts, when the command acts for someone. */
  actor?: Actor;
}

/** The name a command acts under: `--as NAME`, else the repo's `git config user.name`. */
export interface Actor {
  name: string;
  /** The `user.name` it came from, when `--as` was not given. */
  fromGitConfig?: string;
}

/**
 * Resolves `--repo`, checks it is a git clone, loads its config and finds the hub the way
 * `gitswarm run` does (config `hub.url`, the `gitswarm` remote, the embedded hub; an agent's clone
 * uses `hub.remote`). With `acting`, resolves who acts (see {@link resolveActor}).
 */
export async function openCliWorkspace(
  io: CommandIo,
  repo: string | undefined,
  acting?: { command: string; as: string | undefined },
): Promise<CliWorkspace> {
  const dir = repoDir(io, repo);
  if (acting !== undefined && acting.as !== undefined)
    requireActor(acting.command, acting.as);
  await requireGitRepo(dir);
  const actor =
    acting === undefined
      ? undefined
      : await resolveActor(acting.command, dir, acting.as);
  const config = await loadConfig(dir);
  const remote = await resolveHubRemote(new Git(dir), dir, config);
  const ws = openWorkspace(dir, {
    remote,
    branch: config.hub.branch,
    identity: actor === undefined ? undefined : agentIdentity(actor.name),
  });
  return { repo: dir, ws, config, actor };
}

/**
 * Who acts: `--as NAME` when given, else the repo's `git config user.name` made into a valid name
 * (`Ada Lovelace` acts as `Ada-Lovelace`). Throws a UserError when neither gives a name.
 */
export async function resolveActor(
  command: string,
  dir: string,
  as: string | undefined,
): Promise<Actor> {
  if (as !== undefined) return { name: requireActor(command, as) };
  const userName = await new Git(dir).tryRun(["config", "user.name"]);
  const raw = userName.ok ? userName.stdout.trim() : "";
  const name = actorNameFrom(raw);
  if (name === undefined)
    throw new UserError(
      "usage",
      `gitswarm ${command} needs --as NAME (the agent or human acting): git config user.name ${raw === "" ? "is not set" : `'${raw}' has no usable letters`}`,
    );
  return { name, fromGitConfig: raw };
}

/** `user.name` as a valid actor name: runs of other characters become '-', at most 64. */
export function actorNameFrom(userName: string): string | undefined {
  const name = userName
    .replace(/[^A-Za-z0-9._@-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return name === "" ? undefined : name;
}

/** The line that tells a human which name a command acted under when `--as` was not given. */
export function describeActor(actor: Actor | undefined): string | undefined {
  if (actor?.fromGitConfig === undefined) return undefined;
  return `acting as ${actor.name} (from git config user.name '${actor.fromGitConfig}'; pass --as NAME to choose)`;
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
