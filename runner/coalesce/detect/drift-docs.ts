/**
 * Documentation drift, a pure function: DESIGN.md and README name files that are not in the
 * repository (in backticks or relative links), `gitswarm <command>`s that do not exist, and
 * `npm run <script>`s that package.json does not define.
 */
import type { Finding } from "../findings.js";

/** What the docs are checked against. */
export interface DocContext {
  docs: { file: string; text: string }[];
  /** Every tracked file, repository-relative, POSIX. */
  files: readonly string[];
  /** The `gitswarm` subcommands that exist. */
  commands: readonly string[];
  /** package.json `scripts` names (empty when there is no package.json). */
  scripts: readonly string[];
  /** package.json `name`: `NAME/sub` in the docs is a package export, not a file. */
  packageName?: string;
  /** Plain names and folders from the top-level .gitignore (`dist/`): built, never tracked. */
  ignored: readonly string[];
  /** Names the docs may mention that live outside the repository (`coalesce.externalPaths`). */
  external: readonly string[];
}

const EXTENSIONS =
  /\.(ts|tsx|js|jsx|mjs|cjs|md|json|ya?ml|toml|py|rs|go|sh|sql|html|css|txt|c|h|cpp|java|rb)$/;
const PATHLIKE = /^[\w.@-]+(\/[\w.@-]+)*\/?$/;
// Files gitswarm itself creates at run time, named by docs before they exist.
const RUNTIME =
  /^(\.gitswarm\/|refs\/|swarm\/|locks\/|PROGRESS-archive\.md$|events\.jsonl$|hub\.git$)/;
// A name under a host or vendor domain (`github.com/org/repo`, `nvidia.com/gpu`): a URL or a
// resource name, never a folder of the repository.
const DOMAIN_FIRST = /^[a-z\d-]+(\.[a-z\d-]+)*\.[a-z]{2,}\//i;
// git's own files in a clone (`.git/config`, `info/attributes`): never tracked, always there.
const GIT_INTERNAL = /^(\.git\/|info\/(attributes|exclude)$)/;
// A command where a command starts: a span's or line's start, after a prompt, `npx`, `&&` or `;`.
const COMMAND =
  /(?:^|\$\s+|&&\s*|;\s*|npx\s+)(?:bin\/|\.\/bin\/)?gitswarm\s+([a-z][a-z-]*)/g;
const NPM_RUN = /(?:^|\$\s+|&&\s*|;\s*)npm\s+run\s+([\w:.-]+)/g;

/** `doc-missing-path` and `doc-missing-command` findings, one per doc and name. Pure. */
export function findDocDrift(context: DocContext): Finding[] {
  const files = new Set(context.files);
  const dirs = new Set(context.files.flatMap(parentDirs));
  const commands = new Set(context.commands);
  const scripts = new Set(context.scripts);
  const outside = (name: string) => isOutsideRepo(name, context);
  const findings: Finding[] = [];
  for (const doc of context.docs) {
    const seen = new Set<string>();
    const report = (finding: Finding, key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(finding);
    };
    const base = doc.file.includes("/")
      ? doc.file.slice(0, doc.file.lastIndexOf("/") + 1)
      : "";
    for (const { text, line } of codeSpans(doc.text)) {
      const name = text.replace(/^\.\//, "");
      if (
        isPathName(name) &&
        !outside(name) &&
        !exists(name, base, files, dirs)
      ) {
        report(
          {
            kind: "doc-missing-path",
            files: [doc.file],
            lines: [`${doc.file}:${line}-${line}`],
            detail: `${doc.file}:${line} names '${name}', which is not in the repository`,
            fix: `correct the name in ${doc.file} or restore the file`,
          },
          `p:${name}`,
        );
      }
      for (const [regex, known, what] of [
        [COMMAND, commands, "gitswarm"],
        [NPM_RUN, scripts, "npm run"],
      ] as const) {
        if (what === "npm run" && scripts.size === 0) continue;
        for (const match of text.matchAll(regex)) {
          const word = match[1] ?? "";
          if (known.has(word)) continue;
          report(
            {
              kind: "doc-missing-command",
              files: [doc.file],
              lines: [`${doc.file}:${line}-${line}`],
              detail: `${doc.file}:${line} names '${what} ${word}', which does not exist`,
              fix: `correct the command in ${doc.file} (known: ${[...known].sort().join(", ")})`,
            },
            `c:${what}:${word}`,
          );
        }
      }
    }
  }
  return findings;
}

/** Inline code spans and the lines of fenced code blocks, with their 1-based line numbers. */
function codeSpans(text: string): { text: string; line: number }[] {
  const spans: { text: string; line: number }[] = [];
  let fenced = false;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      spans.push({ text: raw.trim(), line: i + 1 });
      continue;
    }
    for (const m of raw.matchAll(/`([^`]+)`/g))
      spans.push({ text: m[1] ?? "", line: i + 1 });
    for (const m of raw.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      const target = m[1] ?? "";
      if (!/^[a-z]+:/i.test(target)) spans.push({ text: target, line: i + 1 });
    }
  }
  return spans;
}

/** Names that are not the repository's files by design: git internals, built, package or external names. */
function isOutsideRepo(name: string, context: DocContext): boolean {
  const bare = name.replace(/\/$/, "");
  const top = bare.split("/")[0] ?? bare;
  return (
    GIT_INTERNAL.test(name) ||
    (DOMAIN_FIRST.test(name) && !EXTENSIONS.test(top)) ||
    context.ignored.some((i) => i === bare || i === top) ||
    (context.packageName !== undefined &&
      bare.startsWith(`${context.packageName}/`)) ||
    context.external.some((e) => e.replace(/\/$/, "") === bare)
  );
}

/** The plain names and folders of a .gitignore (globs and negations are left to git). */
export function ignoredNames(gitignore: string): string[] {
  return gitignore
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^[#!]/.test(line) && !/[*?[]/.test(line))
    .map((line) => line.replace(/^\//, "").replace(/\/$/, ""));
}

function isPathName(name: string): boolean {
  if (!PATHLIKE.test(name) || RUNTIME.test(name) || /^(\.\.|@)/.test(name))
    return false;
  return name.includes("/")
    ? /[a-z]/i.test(name) && !/^\d/.test(name)
    : EXTENSIONS.test(name);
}

function exists(
  name: string,
  base: string,
  files: Set<string>,
  dirs: Set<string>,
): boolean {
  const bare = name.replace(/\/$/, "");
  const candidates = [bare, base + bare];
  if (candidates.some((c) => files.has(c) || dirs.has(c))) return true;
  // A bare file name (`claim.ts`) or a partial path (`cli/commands/`) anywhere in the tree.
  const suffix = `/${bare}`;
  for (const f of files) if (f.endsWith(suffix)) return true;
  for (const d of dirs) if (d.endsWith(suffix)) return true;
  return false;
}

function parentDirs(file: string): string[] {
  const parts = file.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}
