/**
 * Registers the PROGRESS.md merge driver in a clone: a `.gitattributes` line (committed, so every
 * clone routes PROGRESS.md to the driver) and the clone's local config naming the command (not
 * committed: git never runs commands from the repository, each clone opts in).
 */
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { PACKAGE_ROOT } from "../../base/package-root.js";
import { Git } from "../git.js";

/** The merge driver's name in `.gitattributes` and `merge.<name>.*` config. */
export const MERGE_DRIVER_NAME = "gitswarm-progress";

/**
 * The attribute lines gitswarm needs. The archive is append-only, so git's built-in `union` driver
 * (keep both sides' lines) merges concurrent archive runs without conflicts.
 */
export const MERGE_ATTRIBUTES = [
  `PROGRESS.md merge=${MERGE_DRIVER_NAME}`,
  "PROGRESS-archive.md merge=union",
] as const;

/**
 * The `info/attributes` lines that pin our drivers (highest precedence, whatever the tree says) for
 * the paths gitswarm owns (attributes-guard.ts): `!x` leaves an attribute unspecified, git's default.
 */
export const PINNED_ATTRIBUTES: readonly string[] = [
  ...MERGE_ATTRIBUTES.map((line) => `${line} !filter !diff`),
  "gitswarm.config.yaml !merge !filter !diff",
  ".gitattributes !merge !filter !diff",
];

const DEFAULT_BIN = path.join(PACKAGE_ROOT, "bin", "gitswarm");

/** Options of `installMergeDriver`. */
export interface MergeDriverOptions {
  /** Absolute path of the `gitswarm` executable script; default: this checkout's bin/gitswarm. */
  gitswarmBin?: string;
  /** The node binary that runs it; default: the one running now. */
  node?: string;
  /**
   * Also add the lines to `.gitattributes` (default true). Agent workspaces pass false: they get
   * the committed file from the hub, and an edit there would dirty their working tree.
   */
  writeAttributes?: boolean;
}

/** What `installMergeDriver` did: `attributesChanged` means `.gitattributes` needs committing. */
export interface MergeDriverInstall {
  attributesChanged: boolean;
  driver: string;
}

/**
 * Idempotently registers the driver in the clone at `repoDir`: appends the missing attribute lines
 * to `.gitattributes` (creating it; the caller commits it when `attributesChanged`) and sets
 * `merge.gitswarm-progress.{name,driver}` in the clone's local config. Throws SwarmError when git
 * config cannot be written (not a repository).
 */
export async function installMergeDriver(
  repoDir: string,
  options: MergeDriverOptions = {},
): Promise<MergeDriverInstall> {
  const git = new Git(repoDir);
  const driver = mergeDriverCommand(options);
  await git.run([
    "config",
    "--local",
    `merge.${MERGE_DRIVER_NAME}.name`,
    "gitswarm structural merge of PROGRESS.md",
  ]);
  await git.run([
    "config",
    "--local",
    `merge.${MERGE_DRIVER_NAME}.driver`,
    driver,
  ]);
  await pinAttributes(git);
  const attributesChanged =
    options.writeAttributes === false
      ? false
      : await ensureAttributes(path.join(repoDir, ".gitattributes"));
  return { attributesChanged, driver };
}

/**
 * Whether git in `repoDir` would merge PROGRESS.md with the driver: the attribute resolves to it,
 * the clone's config defines its command, and the node and script that command names still exist
 * (a moved checkout or an upgraded node would make git fail the merge: install again then).
 */
export async function hasMergeDriver(repoDir: string): Promise<boolean> {
  const git = new Git(repoDir);
  const attr = await git.tryRun(["check-attr", "merge", "--", "PROGRESS.md"]);
  const driver = (
    await git.tryRun(["config", "--get", `merge.${MERGE_DRIVER_NAME}.driver`])
  ).stdout.trim();
  if (
    !attr.ok ||
    !attr.stdout.trim().endsWith(`: merge: ${MERGE_DRIVER_NAME}`) ||
    driver === ""
  )
    return false;
  const paths = [...driver.matchAll(/'((?:[^']|'\\'')*)'/g)]
    .slice(0, 2)
    .map((m) => (m[1] ?? "").replace(/'\\''/g, "'"));
  const exist = await Promise.all(
    paths.map((file) =>
      access(file).then(
        () => true,
        () => false,
      ),
    ),
  );
  return exist.every(Boolean);
}

/**
 * The driver command line git runs through `sh -c`. Paths are absolute because git runs drivers
 * from the worktree root of whatever clone merges, and single-quoted because they may hold spaces.
 * Git substitutes %O %A %B with temporary files and %P with the (already quoted) path.
 */
export function mergeDriverCommand(options: MergeDriverOptions = {}): string {
  const node = options.node ?? process.execPath;
  const bin = path.resolve(options.gitswarmBin ?? DEFAULT_BIN);
  return `${shellQuote(node)} ${shellQuote(bin)} merge-driver %O %A %B %P`;
}

/**
 * Writes our drivers into the clone's `info/attributes`, which outranks every `.gitattributes`:
 * a committed `* merge=evil` can then never take PROGRESS.md away from our merge in this clone.
 * Idempotent; the agent owns its clone and may rewrite the file, so it is pinned again before
 * every landing (work-commit.ts). Throws SwarmError when `git` is not in a repository.
 */
export async function pinAttributes(git: Git): Promise<void> {
  const file = path.resolve(
    git.dir,
    (await git.run(["rev-parse", "--git-path", "info/attributes"])).trim(),
  );
  const current = await readFile(file, "utf8").catch(() => "");
  const kept = current
    .split("\n")
    .filter(
      (line) =>
        line !== "" &&
        line !== PINNED_HEADER &&
        !PINNED_ATTRIBUTES.includes(line),
    );
  const next = [...kept, PINNED_HEADER, ...PINNED_ATTRIBUTES].join("\n");
  if (`${next}\n` === current) return;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${next}\n`);
}

const PINNED_HEADER =
  "# gitswarm: its own drivers for the files it owns (outranks .gitattributes)";

async function ensureAttributes(file: string): Promise<boolean> {
  const current = await readFile(file, "utf8").catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    },
  );
  const present = new Set(
    current.split(/\r?\n/).map((line) => line.trim().replace(/\s+/g, " ")),
  );
  const missing = MERGE_ATTRIBUTES.filter((line) => !present.has(line));
  if (missing.length === 0) return false;
  const eol = current.includes("\r\n") ? "\r\n" : "\n";
  const separator = current === "" || current.endsWith("\n") ? "" : eol;
  await writeFile(file, current + separator + missing.join(eol) + eol);
  return true;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
