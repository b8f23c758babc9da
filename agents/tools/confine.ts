/**
 * Confinement of tool paths to the workspace. A path must be relative, must not climb out with
 * `..`, must still be inside the workspace after symlinks are resolved, and must not lead into a
 * `.git` folder, by name or through a symlink (`g -> .git`, made by a command or committed): the
 * git folder holds config and hooks that gitswarm's own git calls would read. Anything else is
 * refused with a message the model can act on.
 */
import fs from "node:fs/promises";
import path from "node:path";

/** Where a tool path leads, or why it is refused. */
export type Confined =
  | { ok: true; absolute: string; relative: string }
  | { ok: false; reason: string };

/** The pure part: refuses absolute paths, `..` escapes and empty paths; returns the lexical target. */
export function checkToolPath(workspace: string, requested: string): Confined {
  if (typeof requested !== "string" || requested.trim() === "")
    return { ok: false, reason: "a path is required" };
  if (requested.includes("\0"))
    return { ok: false, reason: "path contains a NUL byte" };
  if (path.isAbsolute(requested) || /^[a-zA-Z]:[\\/]/.test(requested)) {
    return {
      ok: false,
      reason: `absolute paths are refused (${requested}); use a path relative to the workspace root`,
    };
  }
  const absolute = path.resolve(workspace, requested);
  const relative = path.relative(workspace, absolute);
  if (
    relative === ".." ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  ) {
    return {
      ok: false,
      reason: `path escapes the workspace (${requested}); only files inside it can be used`,
    };
  }
  if (isInGitDir(relative)) return { ok: false, reason: GIT_DIR_REFUSED };
  return { ok: true, absolute, relative: relative === "" ? "." : relative };
}

const GIT_DIR_REFUSED =
  "the .git folder is off limits, also through a symlink; the runner commits for you";

/** Whether a workspace-relative path names a `.git` folder or anything in one, at any depth. */
export function isInGitDir(relative: string): boolean {
  return relative
    .split(/[\\/]/)
    .some((segment) => segment.toLowerCase() === ".git");
}

/** Whether `target` is `root` or inside it (both already real paths). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === "" ||
    (!relative.startsWith(`..${path.sep}`) &&
      relative !== ".." &&
      !path.isAbsolute(relative))
  );
}

/**
 * Resolves a tool path against the real filesystem: the deepest existing ancestor (or the file
 * itself) is realpath'd, so a symlink anywhere on the way that points outside is refused — also
 * for files about to be created.
 */
export async function resolveToolPath(
  workspace: string,
  requested: string,
): Promise<Confined> {
  const lexical = checkToolPath(workspace, requested);
  if (!lexical.ok) return lexical;
  const root = await fs.realpath(workspace);
  let probe = lexical.absolute;
  for (;;) {
    try {
      const real = await fs.realpath(probe);
      // Where the path really leads: the real existing prefix, then the part still to be created.
      const target = path.join(real, path.relative(probe, lexical.absolute));
      if (!isInside(root, target)) {
        return {
          ok: false,
          reason: `path leads outside the workspace through a symlink (${requested}); refused`,
        };
      }
      if (isInGitDir(path.relative(root, target)))
        return { ok: false, reason: GIT_DIR_REFUSED };
      return lexical;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const parent = path.dirname(probe);
      // A dangling symlink: where it points is unknown until created, so refuse it.
      if (await isSymlink(probe))
        return {
          ok: false,
          reason: `path is a dangling symlink (${requested}); refused`,
        };
      if (parent === probe) return lexical;
      probe = parent;
    }
  }
}

async function isSymlink(file: string): Promise<boolean> {
  try {
    return (await fs.lstat(file)).isSymbolicLink();
  } catch {
    return false;
  }
}
