/**
 * Secrets handling for agents: which keys an agent may hold (its own, and only for the model call),
 * environments for tool processes without any secret, and redaction of known key values from any
 * text leaving an agent (tool output, summaries, error details, events), so no API key reaches a
 * model, a log line, a note or a commit. The name rules live in coordination/base/secret-env.ts,
 * shared with git and the spawner.
 */
import { secretEntries, type Secret } from "../coordination/base/secret-env.js";
import type { AgentSpec } from "./config.js";
import { KIND_INFO } from "./kinds.js";

export {
  declareSecretNames,
  isSecretName,
  redact,
  scrubEnv,
  type Secret,
} from "../coordination/base/secret-env.js";

/** What redaction takes: known secrets (named) or bare values. */
export type SecretList = readonly (string | Secret)[];

/** The secrets of `env` (and the variables named in `also`) worth redacting, named, longest first. */
export function secretValues(
  env: NodeJS.ProcessEnv,
  also: readonly string[] = [],
): Secret[] {
  return secretEntries(env, also);
}

/**
 * The variables one spec's model call reads its credentials from: its `apiKeyEnv` (or the kind's
 * default), a vendor CLI's own login variables, and Gemini's GOOGLE_API_KEY alternative.
 * A `command` agent makes no model call and has none.
 */
export function keyNamesOf(spec: AgentSpec): string[] {
  const info = KIND_INFO[spec.kind];
  const names = [
    ...(spec.apiKeyEnv !== undefined ? [spec.apiKeyEnv] : []),
    ...(spec.kind === "command" || info.apiKeyEnv === undefined
      ? []
      : [info.apiKeyEnv]),
    ...(info.cliSecrets ?? []),
    ...(spec.kind === "gemini" && spec.apiKeyEnv === undefined
      ? ["GOOGLE_API_KEY"]
      : []),
  ];
  return [...new Set(names)];
}

/** Every key name a config declares (each spec's `apiKeyEnv`): secret in every process, whatever it looks like. */
export function configuredKeyNames(specs: readonly AgentSpec[]): string[] {
  return [
    ...new Set(
      specs.flatMap((spec) =>
        spec.apiKeyEnv !== undefined ? [spec.apiKeyEnv] : [],
      ),
    ),
  ];
}

/**
 * The secrets an agent process is started with: its own keys and its fallbacks' (it makes their
 * model calls) and the `passEnv` names of those specs. Everything else secret stays with the runner.
 */
export function agentProcessSecrets(
  specs: readonly AgentSpec[],
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const names = new Set(
    specs.flatMap((spec) => [...keyNamesOf(spec), ...spec.passEnv]),
  );
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
