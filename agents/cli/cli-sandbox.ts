/**
 * What a vendor CLI gets inside the agent sandbox beyond its clone (coordination/base/sandbox/):
 * its own installation read-only (found on the PATH it runs with, symlinks followed to the
 * package), its vendor's config dir read-write (login, settings, session logs) and the model
 * endpoints it may reach under `network: model` (its `baseUrl`, else the vendor's API host). The
 * rest of $HOME (~/.ssh, other tools' config), other clones, the hub and every other process stay
 * out of its reach.
 */
import { lstat, mkdir, realpath } from "node:fs/promises";
import path from "node:path";
import type { ConfineRequest } from "../../coordination/base/sandbox/sandbox-plan.js";
import type { AgentSpec } from "../config.js";

/** Each CLI's config dirs (relative to $HOME unless its variable names one) and default API hosts. */
const VENDOR: Record<
  string,
  {
    config: (env: Record<string, string | undefined>) => string[];
    endpoints: string[];
  }
> = {
  "claude-code": {
    config: (env) => [env.CLAUDE_CONFIG_DIR ?? home(env, ".claude")],
    endpoints: ["api.anthropic.com:443"],
  },
  codex: {
    config: (env) => [env.CODEX_HOME ?? home(env, ".codex")],
    endpoints: ["api.openai.com:443", "chatgpt.com:443"],
  },
  "gemini-cli": {
    config: (env) => [home(env, ".gemini")],
    endpoints: [
      "generativelanguage.googleapis.com:443",
      "cloudcode-pa.googleapis.com:443",
      "oauth2.googleapis.com:443",
    ],
  },
  aider: { config: () => [], endpoints: [] },
};

function home(env: Record<string, string | undefined>, name: string): string {
  return path.join(env.HOME ?? "/", name);
}

/**
 * The confinement of one CLI run: role `cli`, the executable's package read-only, the config dir
 * read-write (created first, so what the CLI writes there outlives the sandbox, as codex's session
 * log must), and the clone read-only for a review. Throws an ENOENT error when `binary` is not on
 * the run's PATH.
 */
export async function cliConfinement(
  spec: AgentSpec,
  binary: string,
  env: Record<string, string | undefined>,
  review = false,
): Promise<Omit<ConfineRequest, "cwd">> {
  const vendor = VENDOR[spec.kind] ?? { config: () => [], endpoints: [] };
  const config = vendor.config(env).map((dir) => path.resolve(dir));
  for (const dir of config) await mkdir(dir, { recursive: true });
  return {
    role: "cli",
    readable: await installationOf(binary, env.PATH ?? ""),
    writable: config,
    endpoints: modelEndpoints(spec, vendor.endpoints),
    ...(review ? { cwdReadOnly: true } : {}),
  };
}

/** `host:port` of the spec's `baseUrl` (its scheme's port when none is written), else the vendor's hosts. Pure. */
export function modelEndpoints(
  spec: Pick<AgentSpec, "baseUrl">,
  defaults: readonly string[],
): string[] {
  if (spec.baseUrl === undefined) return [...defaults];
  const url = new URL(spec.baseUrl);
  const port =
    url.port !== "" ? url.port : url.protocol === "http:" ? "80" : "443";
  return [`${url.hostname}:${port}`];
}

/**
 * The dirs that hold `binary`: the `node_modules` tree (or the folder) of the PATH entry it was
 * found in and of the real file it links to, so a package's own dependencies load.
 */
async function installationOf(
  binary: string,
  searchPath: string,
): Promise<string[]> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === "" || !path.isAbsolute(dir)) continue;
    const file = path.join(dir, binary);
    const stat = await lstat(file).catch(() => undefined);
    if (stat === undefined || stat.isDirectory()) continue;
    // A node_modules/.bin entry links into its tree: the whole tree, not the .bin folder.
    return [...new Set([packageTree(file), packageTree(await realpath(file))])];
  }
  throw Object.assign(new Error(`spawn ${binary} ENOENT`), { code: "ENOENT" });
}

/** The outermost `node_modules` above `file`, or its folder when it is not in one. */
function packageTree(file: string): string {
  const parts = file.split(path.sep);
  const at = parts.indexOf("node_modules");
  return at > 0 ? parts.slice(0, at + 1).join(path.sep) : path.dirname(file);
}
