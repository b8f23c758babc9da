/**
 * Runner identity: every runner (and every checkout a human claims from) has an id unique across
 * the fleet — its host name plus a random part — kept in the checkout's `.gitswarm/runner-id`, so a
 * restart of the same runner keeps it. Each lock records it; only the runner that wrote a lock may
 * resume it. An agent's clone under `.gitswarm/workspaces/` carries its runner's id in its git
 * config (`gitswarm.runner`), so the agent process and the CLI run in that clone agree with the
 * runner.
 */
import { randomBytes } from "node:crypto";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Git } from "./git.js";

/** The git config key that names a clone's runner (set in every agent workspace). */
export const RUNNER_CONFIG_KEY = "gitswarm.runner";
/** The file in a checkout's `.gitswarm/` that keeps its runner id. */
export const RUNNER_ID_FILE = "runner-id";

const RUNNER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,99}$/;

/** A fresh runner id: the host name (made safe, at most 40 characters) and 6 random hex digits. */
export function newRunnerId(host: string = os.hostname()): string {
  const safe =
    host
      .replace(/[^A-Za-z0-9.-]+/g, "-")
      .replace(/^[^A-Za-z0-9]+/, "")
      .slice(0, 40)
      .replace(/[-.]+$/, "") || "host";
  return `${safe}-${randomBytes(3).toString("hex")}`;
}

/**
 * The runner id kept in `<checkoutDir>/.gitswarm/runner-id`, made on first use. Two processes making
 * it at once agree: the file is created exclusively and the loser reads the winner's id.
 */
export async function ensureRunnerId(checkoutDir: string): Promise<string> {
  const dir = path.join(checkoutDir, ".gitswarm");
  const file = path.join(dir, RUNNER_ID_FILE);
  const existing = await readRunnerFile(file);
  if (existing !== undefined) return existing;
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(file, `${newRunnerId()}\n`, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const made = await readRunnerFile(file);
  if (made === undefined)
    throw new Error(
      `${file} does not hold a runner id; delete it and run again (a new id is made)`,
    );
  return made;
}

const cache = new Map<string, Promise<string>>();

/**
 * The runner id a clone acts under: its `gitswarm.runner` git config (an agent's workspace), else
 * the id kept in the clone's own `.gitswarm/` (a human's checkout; made on first use, and
 * `.gitswarm/` is then kept out of `git status`). Cached per clone for the process's life.
 */
export function runnerIdOf(git: Git): Promise<string> {
  let known = cache.get(git.dir);
  if (known === undefined) {
    known = resolveRunnerId(git);
    cache.set(git.dir, known);
    known.catch(() => cache.delete(git.dir));
  }
  return known;
}

async function resolveRunnerId(git: Git): Promise<string> {
  const configured = await git.tryRun(["config", "--get", RUNNER_CONFIG_KEY]);
  const value = configured.ok ? configured.stdout.trim() : "";
  if (RUNNER_ID_PATTERN.test(value)) return value;
  const top = await git.tryRun(["rev-parse", "--show-toplevel"]);
  const checkout = top.ok ? top.stdout.trim() : git.dir;
  const id = await ensureRunnerId(checkout);
  await excludeGitswarmDir(git, checkout);
  return id;
}

async function excludeGitswarmDir(git: Git, checkout: string): Promise<void> {
  if ((await git.tryRun(["check-ignore", "--quiet", ".gitswarm/x"])).ok) return;
  const exclude = await git.tryRun(["rev-parse", "--git-path", "info/exclude"]);
  if (!exclude.ok) return;
  const file = path.resolve(checkout, exclude.stdout.trim());
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, "\n.gitswarm/\n");
}

async function readRunnerFile(file: string): Promise<string | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  const id = text?.trim();
  return id !== undefined && RUNNER_ID_PATTERN.test(id) ? id : undefined;
}
