/**
 * Where the hub is, seen from a checkout: `gitswarm run` and the CLI's protocol commands (`status`,
 * `locks`, `claim`, `heartbeat`, `release`) find it the same way — config `hub.url`, else the
 * embedded hub in `.gitswarm/hub.git` — and reach it through the checkout's remote for it.
 */
import { access } from "node:fs/promises";
import path from "node:path";
import type { Git } from "../coordination/git/git.js";
import { UserError } from "../coordination/base/errors.js";
import type { SwarmConfig } from "./config.js";

/** The remote gitswarm adds to the user's repo, pointing at the hub. */
export const USER_REMOTE = "gitswarm";

/** The hub a repo's swarm uses: config `hub.url`, else the embedded bare repo under .gitswarm/. */
export interface HubLocation {
  url: string;
  /** True when the hub is the embedded one gitswarm makes in `.gitswarm/hub.git`. */
  embedded: boolean;
}

/** Where the hub of the swarm repo at `repoDir` is (no I/O; the embedded hub may not exist yet). */
export function locateHub(repoDir: string, config: SwarmConfig): HubLocation {
  const url = config.hub.url;
  if (url !== undefined) return { url, embedded: false };
  return { url: path.join(repoDir, ".gitswarm", "hub.git"), embedded: true };
}

/**
 * The name of the remote through which the checkout at `repoDir` reaches its hub. A remote that
 * already points at the hub is used (the `gitswarm` remote first, then `hub.remote`); a known hub
 * with no remote gets the `gitswarm` remote, as `gitswarm run` adds it. With no configured or
 * embedded hub (an agent's clone of the hub), the clone's `hub.remote` (`origin`) is the hub.
 * Throws a UserError saying how to name the hub when there is none.
 */
export async function resolveHubRemote(
  git: Git,
  repoDir: string,
  config: SwarmConfig,
): Promise<string> {
  const remotes = parseRemoteUrls(
    (await git.tryRun(["config", "--get-regexp", "^remote\\..*\\.url$"]))
      .stdout,
  );
  const hub = locateHub(repoDir, config);
  const known = !hub.embedded || (await exists(hub.url));
  const preferred = [USER_REMOTE, config.hub.remote];
  if (known) {
    const wanted = normaliseUrl(repoDir, hub.url);
    const matching = [...remotes]
      .filter(([, url]) => normaliseUrl(repoDir, url) === wanted)
      .map(([name]) => name)
      .sort((a, b) => rank(preferred, a) - rank(preferred, b));
    if (matching[0] !== undefined) return matching[0];
    await git.run([
      "remote",
      remotes.has(USER_REMOTE) ? "set-url" : "add",
      USER_REMOTE,
      hub.url,
    ]);
    return USER_REMOTE;
  }
  const found = preferred.find((name) => remotes.has(name));
  if (found !== undefined) return found;
  throw new UserError(
    "no-hub-remote",
    `${repoDir} has no hub: no hub.url in gitswarm.config.yaml, no embedded hub in .gitswarm/hub.git, ` +
      `and no remote '${USER_REMOTE}' or '${config.hub.remote}'. Run 'gitswarm run' here first, set hub.url, ` +
      `or add it: git remote add ${USER_REMOTE} <hub-url>`,
  );
}

/** Parses `git config --get-regexp '^remote\..*\.url$'` output into remote name → URL. */
export function parseRemoteUrls(text: string): Map<string, string> {
  const remotes = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^remote\.(.+)\.url (.*)$/.exec(line);
    if (match?.[1] !== undefined && !remotes.has(match[1]))
      remotes.set(match[1], match[2] ?? "");
  }
  return remotes;
}

/** Local paths resolved against the repo (git resolves them from there); URLs as written. */
function normaliseUrl(repoDir: string, url: string): string {
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+:/.test(url);
  const local = url.startsWith("file://") ? url.slice("file://".length) : url;
  if (isUrl && !url.startsWith("file://")) return url.replace(/\/+$/, "");
  return path.resolve(repoDir, local).replace(/\/+$/, "");
}

function rank(preferred: readonly string[], name: string): number {
  const at = preferred.indexOf(name);
  return at < 0 ? preferred.length : at;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
