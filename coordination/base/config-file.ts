/**
 * `gitswarm.config.yaml` as a document: one reader for every layer's section (runner, agents,
 * oracle, coalescer), so each reports problems the same way — `gitswarm.config.yaml:LINE: path:
 * message` with the fix — and none of them can be crashed by hostile YAML.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { UserError } from "./errors.js";

/** The config file, relative to the swarm repository. */
export const CONFIG_FILE = "gitswarm.config.yaml";

// Aliases are legitimate YAML, but a "billion laughs" document expands them exponentially.
const MAX_ALIAS_COUNT = 100;

/** A parsed config: its plain value and the line of any key path in it. */
export interface ConfigDocument {
  file: string;
  root: Record<string, unknown>;
  /** The line of the deepest node that exists along `keys` (a missing key has no node). */
  lineOf(keys: readonly PropertyKey[]): number | undefined;
}

/** Reads the repo's config text; undefined when there is no file. Throws UserError if unreadable. */
export async function readConfigText(
  repoDir: string,
): Promise<string | undefined> {
  const file = path.join(repoDir, CONFIG_FILE);
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(
      "bad-config",
      `cannot read ${file}: ${(error as Error).message} (check its permissions)`,
      { cause: error },
    );
  }
}

/** Parses config text (pure); throws UserError naming the line for bad YAML or a non-mapping. */
export function parseConfigDocument(
  text: string,
  file = CONFIG_FILE,
): ConfigDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const syntax = doc.errors[0];
  if (syntax !== undefined)
    throw new UserError(
      "bad-config",
      `${file}:${syntax.linePos?.[0]?.line ?? 1}: ${syntax.message.split("\n")[0]} (fix the YAML syntax)`,
    );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new UserError(
      "bad-config",
      `${file}: ${(error as Error).message} (YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes; write the values out)`,
      { cause: error },
    );
  }
  const root = value ?? {};
  if (typeof root !== "object" || Array.isArray(root))
    throw new UserError(
      "bad-config",
      `${file}:1: expected a mapping of settings such as 'lease: 10m'`,
    );
  const lineOf = (keys: readonly PropertyKey[]) => {
    for (let n = keys.length; n >= 0; n--) {
      const node = doc.getIn(keys.slice(0, n) as unknown[], true) as
        { range?: [number, number, number] } | undefined;
      if (node?.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { file, root: root as Record<string, unknown>, lineOf };
}

/**
 * Validates one section of a config document against its schema; throws one UserError listing
 * every problem as `file:line: path: message`, unknown keys with the closest known key.
 */
export function validateSection<S extends z.ZodType>(
  doc: ConfigDocument,
  schema: S,
  value: unknown,
  prefix: readonly string[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path.map(pathKey)];
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => {
        const known = objectKeysAt(schema, issue.path.map(pathKey));
        const near = closestKey(key, known);
        const hint = near
          ? `did you mean '${near}'?`
          : `known keys: ${known.join(", ")}`;
        return describe(doc, [...at, key], `unknown key '${key}' (${hint})`);
      });
    return [describe(doc, at, issue.message)];
  });
  throw new UserError(
    "bad-config",
    lines.length === 1
      ? lines[0]!
      : `${doc.file} is invalid:\n${lines.map((l) => `  ${l}`).join("\n")}`,
  );
}

function describe(
  doc: ConfigDocument,
  keys: readonly (string | number)[],
  message: string,
): string {
  const line = doc.lineOf(keys);
  return `${doc.file}${line === undefined ? "" : `:${line}`}: ${keys.join(".") || "(top level)"}: ${message}`;
}

function pathKey(key: PropertyKey): string | number {
  return typeof key === "symbol" ? String(key) : key;
}

/** The keys a zod object schema declares at `keys` below `schema` (through defaults and optionals). */
function objectKeysAt(
  schema: z.ZodType,
  keys: readonly (string | number)[],
): string[] {
  let node: unknown = schema;
  for (const key of [...keys, undefined]) {
    node = unwrapSchema(node);
    if (key === undefined) break;
    if (node instanceof z.ZodArray) node = node.element;
    else if (node instanceof z.ZodObject)
      node = (node.shape as Record<string, unknown>)[String(key)];
    else return [];
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

// Through defaults, optionals and preprocessing to the schema that holds the shape.
function unwrapSchema(node: unknown): unknown {
  for (;;) {
    if (node instanceof z.ZodPipe)
      node = node.in instanceof z.ZodObject ? node.in : node.out;
    else if (
      !(node instanceof z.ZodObject) &&
      !(node instanceof z.ZodArray) &&
      typeof (node as { unwrap?: unknown })?.unwrap === "function"
    )
      node = (node as { unwrap(): unknown }).unwrap();
    else return node;
  }
}

/** The known key within two edits of `key` (a typo), if there is one. */
export function closestKey(
  key: string,
  known: readonly string[],
): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance))
      best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}
