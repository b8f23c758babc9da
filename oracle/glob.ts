/**
 * A small glob matcher for case and input globs (`**`, `*`, `?`, `{a,b}`, `[abc]`), so the
 * oracle needs no extra dependency. Matching is pure; listing walks from the glob's static prefix
 * and never descends into `.git`, `node_modules` or `.gitswarm`.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";

const SKIPPED_DIRS = new Set([".git", "node_modules", ".gitswarm"]);

/** Compiles a glob (POSIX separators, relative path) into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i] as string;
    if (ch === "*" && glob[i + 1] === "*") {
      const slashAfter = glob[i + 2] === "/";
      // `**/` matches zero or more whole directories; a bare `**` matches anything.
      source += slashAfter ? "(?:[^/]*/)*" : ".*";
      i += slashAfter ? 2 : 1;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else if (ch === "{") {
      braces += 1;
      source += "(?:";
    } else if (ch === "}" && braces > 0) {
      braces -= 1;
      source += ")";
    } else if (ch === "," && braces > 0) source += "|";
    else if (ch === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) source += "\\[";
      else {
        source += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else source += ch.replace(/[.+^$()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** True when the glob has wildcard characters (otherwise it names one file). */
export function hasMagic(glob: string): boolean {
  return /[*?{[]/.test(glob);
}

/**
 * Lists the files under `rootDir` matching `glob`, as sorted POSIX paths relative to `rootDir`.
 * Unreadable directories are skipped; a glob matching nothing returns [].
 */
export async function expandGlob(
  rootDir: string,
  glob: string,
): Promise<string[]> {
  const normalised = glob.replace(/\\/g, "/").replace(/^\.\//, "");
  const segments = normalised.split("/");
  const firstMagic = segments.findIndex(hasMagic);
  const base =
    firstMagic === -1
      ? segments.slice(0, -1).join("/")
      : segments.slice(0, firstMagic).join("/");
  const matcher = globToRegExp(normalised);
  const found: string[] = [];
  await walk(rootDir, base, (relative) => {
    if (matcher.test(relative)) found.push(relative);
  });
  return found.sort();
}

async function walk(
  rootDir: string,
  relativeDir: string,
  visit: (relative: string) => void,
): Promise<void> {
  let entries;
  try {
    entries = await readdir(path.join(rootDir, relativeDir), {
      withFileTypes: true,
    });
  } catch {
    return;
  }
  for (const entry of entries) {
    const relative =
      relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(rootDir, relative, visit);
    } else if (entry.isFile() || entry.isSymbolicLink()) visit(relative);
  }
}
