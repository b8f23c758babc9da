/**
 * What an agent may not commit to `.gitattributes`: lines that give a path gitswarm owns
 * (PROGRESS.md, its archive, the config, `.gitattributes` itself) a merge, filter or diff driver.
 * `* merge=evil` on main would otherwise route PROGRESS.md away from our structural merge in every
 * clone that checks it out. The done-commit strips such lines (saying so in its message); every
 * clone gitswarm merges in also pins our drivers in `info/attributes`, which outranks the file.
 */
import { MERGE_ATTRIBUTES } from "./merge-driver-setup.js";

/** The paths whose attributes are gitswarm's, not an agent's. */
export const OWNED_PATHS = [
  "PROGRESS.md",
  "PROGRESS-archive.md",
  "gitswarm.config.yaml",
  ".gitattributes",
] as const;

// `diff=x` names a diff driver (its textconv among them); `merge`/`filter` any value or setting.
const DRIVER_ATTR = /^(?:-|!)?(?:merge|filter|diff)(?:=|$)/;
// What an owned path may still get: line endings and cosmetics. Anything else (a macro such as
// `binary`, which unsets merge, or one the file defines itself) could carry a driver.
const HARMLESS_ATTR =
  /^(?:-|!)?(?:text|eol|crlf|whitespace|delta|export-ignore|export-subst|linguist-[\w-]+)(?:=[\w,.-]*)?$/;

/**
 * The lines of `text` an agent may not land, and the text without them (pure). Lines in `onMain`
 * (the file as main has it: the user's own) are kept, whatever they say.
 */
export function stripDriverLines(
  text: string,
  onMain = "",
): {
  text: string;
  stripped: string[];
} {
  const normal = (line: string) => line.trim().replace(/\s+/g, " ");
  const ours = new Set<string>([
    ...MERGE_ATTRIBUTES,
    ...onMain.split("\n").map(normal),
  ]);
  const stripped: string[] = [];
  const kept = text.split("\n").filter((raw) => {
    const line = normal(raw);
    if (line === "" || line.startsWith("#") || ours.has(line)) return true;
    const [pattern = "", ...attrs] = line.split(" ");
    const macro = pattern.startsWith("[attr]");
    const drops = macro
      ? // A macro that sets a driver reaches owned paths through any pattern that names it.
        attrs.some((a) => DRIVER_ATTR.test(a) || a.includes("textconv"))
      : OWNED_PATHS.some((owned) => attributeMatches(pattern, owned)) &&
        attrs.some((a) => !HARMLESS_ATTR.test(a));
    if (!drops) return true;
    stripped.push(raw.trim());
    return false;
  });
  return { text: kept.join("\n"), stripped };
}

/**
 * Whether a `.gitattributes` pattern matches a top-level path, as git's wildmatch does: a
 * top-level file matches a pattern whole (a pattern without `/` would also match deeper, which
 * owned paths never are), `*` never crosses `/`, `**` does.
 * Macros (`[attr]x`) never match a path. Errs towards matching: a strip is safe, a miss is not.
 */
export function attributeMatches(pattern: string, file: string): boolean {
  if (pattern.startsWith("[attr]")) return false;
  const unquoted = pattern.replace(/^"(.*)"$/, "$1");
  // `/x` is anchored at the top, `**/x` matches at any depth including the top: both mean `x` here.
  const anchored = unquoted.replace(/^\//, "").replace(/^(\*\*\/)+/, "");
  let source = "";
  for (let i = 0; i < anchored.length; i++) {
    const c = anchored[i] ?? "";
    if (c === "*" && anchored[i + 1] === "*") {
      source += ".*";
      i += 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const end = anchored.indexOf("]", i + 1);
      if (end === -1) source += "\\[";
      else {
        source += `[${anchored
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < anchored.length) {
      source += escape(anchored[i + 1] ?? "");
      i += 1;
    } else source += escape(c);
  }
  return new RegExp(`^${source}$`).test(file);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
