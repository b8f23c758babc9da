/**
 * Secrets handling: tool processes get an environment without anything that looks like a
 * credential, and any text leaving an agent (tool output, error details, events) has known secret
 * values replaced, so no API key reaches a model, a log line or a commit.
 */

// Matched on `_`-separated words so GIT_AUTHOR_NAME or TOKENIZERS_PARALLELISM are kept.
const SECRET_WORDS = new Set([
  "TOKEN",
  "SECRET",
  "PASSWORD",
  "PASSWD",
  "CREDENTIAL",
  "CREDENTIALS",
  "AUTH",
  "APIKEY",
  "PAT",
]);
const SECRET_PAIRS = [
  "API_KEY",
  "PRIVATE_KEY",
  "ACCESS_KEY",
  "SECRET_KEY",
  "AUTH_TOKEN",
];
const SECRET_EXACT = new Set([
  "OPENAI_API_KEY",
  "ANTHROPIC_API_KEY",
  "GEMINI_API_KEY",
  "GOOGLE_API_KEY",
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "NPM_TOKEN",
  "HF_TOKEN",
  "AWS_SECRET_ACCESS_KEY",
]);

/** Whether an environment variable name looks like it holds a credential. */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (
    SECRET_EXACT.has(upper) ||
    SECRET_PAIRS.some((pair) => upper.includes(pair))
  )
    return true;
  return upper.split("_").some((word) => SECRET_WORDS.has(word));
}

/** A copy of `env` without secret-looking variables (and those in `drop`), keeping the names in `allow`. */
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

/** The values of secret-looking variables (and those named in `also`) long enough to be worth redacting. */
export function secretValues(
  env: NodeJS.ProcessEnv,
  also: readonly string[] = [],
): string[] {
  return Object.entries(env)
    .filter(
      ([name, value]) =>
        value !== undefined &&
        value.length >= 8 &&
        (isSecretName(name) || also.includes(name)),
    )
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret in `text` with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets)
    if (out.includes(secret)) out = out.split(secret).join("[redacted]");
  return out;
}
