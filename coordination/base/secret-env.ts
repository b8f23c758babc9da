/**
 * What counts as a secret in an environment, and how to keep it out of what gitswarm starts and
 * writes. A name is secret when it looks like a credential (`*_KEY`, `*_TOKEN`, `*_SECRET`,
 * `*PASSWORD*`, `*_API_KEY`, …, any case) or when the config declared it (an agent's
 * `apiKeyEnv`). Every process gitswarm spawns starts from a scrubbed environment; only a model
 * call (an agent process, a vendor CLI) is handed its own key explicitly.
 */

// Matched on `_`-separated words so GIT_AUTHOR_NAME or TOKENIZERS_PARALLELISM are kept.
const SECRET_WORDS = new Set([
  "KEY",
  "KEYS",
  "APIKEY",
  "TOKEN",
  "TOKENS",
  "SECRET",
  "SECRETS",
  "PASSWD",
  "CREDENTIAL",
  "CREDENTIALS",
  "AUTH",
  "PAT",
  "COOKIE",
]);
// Substrings that are a credential wherever they appear (DBPASSWORD, MY_PRIVATE_KEY_FILE).
const SECRET_PARTS = [
  "PASSWORD",
  "API_KEY",
  "APIKEY",
  "PRIVATE_KEY",
  "ACCESS_KEY",
  "SECRET",
  "AUTH_TOKEN",
];
// Looks like a credential but is not one, and tools break without it.
const NOT_SECRET = new Set(["SSH_AUTH_SOCK"]);

const declared = new Set<string>();

/**
 * Adds names the config declares as holding keys (an agent's `apiKeyEnv`), so they are treated as
 * secret in this process even when they look harmless (`DEEPSEEK`). Idempotent.
 */
export function declareSecretNames(names: Iterable<string>): void {
  for (const name of names) if (name !== "") declared.add(name.toUpperCase());
}

/** Whether an environment variable name holds a credential (by its shape, or because the config said so). */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (declared.has(upper)) return true;
  if (NOT_SECRET.has(upper)) return false;
  if (SECRET_PARTS.some((part) => upper.includes(part))) return true;
  return upper.split("_").some((word) => SECRET_WORDS.has(word));
}

/** A copy of `env` without secret variables (and those in `drop`), keeping the names in `allow`. */
export function scrubEnv(
  env: NodeJS.ProcessEnv,
  allow: readonly string[] = [],
  drop: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || drop.includes(name)) continue;
    if (isSecretName(name) && !allow.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

/** A secret's variable name and value, so redaction can say which key it removed. */
export interface Secret {
  name: string;
  value: string;
}

/** The secrets of `env` (and the variables named in `also`) long enough to be worth redacting, longest first. */
export function secretEntries(
  env: NodeJS.ProcessEnv,
  also: readonly string[] = [],
): Secret[] {
  const out: Secret[] = [];
  for (const [name, value] of Object.entries(env))
    if (
      value !== undefined &&
      value.length >= 8 &&
      (isSecretName(name) || also.includes(name))
    )
      out.push({ name, value });
  return out.sort((a, b) => b.value.length - a.value.length);
}

/**
 * Replaces every occurrence of each secret in `text`: `[redacted:NAME]` where the variable is
 * known, `[redacted]` for a bare value.
 */
export function redact(
  text: string,
  secrets: readonly (string | Secret)[],
): string {
  let out = text;
  for (const secret of secrets) {
    const value = typeof secret === "string" ? secret : secret.value;
    if (value === "" || !out.includes(value)) continue;
    const mark =
      typeof secret === "string" ? "[redacted]" : `[redacted:${secret.name}]`;
    out = out.split(value).join(mark);
  }
  return out;
}
