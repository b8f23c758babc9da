/**
 * Whether headless gemini-cli will accept its auth type, decided the way gemini-cli 0.61 decides it
 * before it starts a session: `security.auth.selectedType` from its settings (system over workspace
 * over user), else a type derived from its environment — where GOOGLE_GEMINI_BASE_URL (an agent's
 * `baseUrl`) yields "gateway", which it then refuses ("Invalid auth method selected."). A run would
 * fail with exit 41 and that JSON on stderr; doctor (and so `run --dry-run`) says so first, with the
 * fix. Reads settings files only; runs nothing.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { GEMINI_KEY_AUTH_SETTING } from "../cli/gemini-cli.js";
import type { LoginCheck } from "./cli-login.js";

/** The auth types gemini-cli 0.61 accepts headless (its validateAuthMethod). */
const ACCEPTED = [
  "oauth-personal",
  "gemini-api-key",
  "vertex-ai",
  "compute-default-credentials",
] as const;

/** What gemini-cli's settings say about auth, and which file said it. */
export interface GeminiAuthSettings {
  selectedType?: { value: string; file: string };
  enforcedType?: { value: string; file: string };
  /** The user settings file: where a fix goes. */
  userFile: string;
  /** A settings file that could not be read as JSON: nothing is judged then. */
  unreadable?: string;
}

/** The type gemini-cli derives from its environment when no settings choose one (getAuthTypeFromEnv). */
export function geminiAuthTypeFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): { value: string; from: string } | undefined {
  if (env.GOOGLE_GENAI_USE_GCA === "true")
    return { value: "oauth-personal", from: "GOOGLE_GENAI_USE_GCA=true" };
  if (env.GOOGLE_GENAI_USE_VERTEXAI === "true")
    return { value: "vertex-ai", from: "GOOGLE_GENAI_USE_VERTEXAI=true" };
  if (env.GOOGLE_GEMINI_BASE_URL)
    return {
      value: "gateway",
      from: "GOOGLE_GEMINI_BASE_URL, which the agent's baseUrl sets",
    };
  if (env.GEMINI_API_KEY)
    return { value: "gemini-api-key", from: "GEMINI_API_KEY" };
  if (env.CLOUD_SHELL === "true" || env.GEMINI_CLI_USE_COMPUTE_ADC === "true")
    return { value: "compute-default-credentials", from: "CLOUD_SHELL" };
  return undefined;
}

/** Judges the auth type gemini-cli will use, given its settings and the environment it gets. */
export function judgeGeminiAuth(
  settings: GeminiAuthSettings,
  env: Readonly<Record<string, string | undefined>>,
): LoginCheck {
  if (settings.unreadable !== undefined)
    return {
      ok: true,
      detail: `auth type not checked (${settings.unreadable} is not plain JSON)`,
    };
  const chosen = settings.selectedType
    ? {
        value: settings.selectedType.value,
        from: `security.auth.selectedType in ${settings.selectedType.file}`,
      }
    : geminiAuthTypeFromEnv(env);
  const setting = (type: string) =>
    `add {"security":{"auth":{"selectedType":"${type}"}}} to ${settings.userFile}`;
  const enforced = settings.enforcedType;
  if (enforced !== undefined && chosen?.value !== enforced.value)
    return {
      ok: false,
      problem: `${enforced.file} enforces gemini-cli's auth type '${enforced.value}', but it would use ${chosen ? `'${chosen.value}' (from ${chosen.from})` : "none"}`,
      fix: setting(enforced.value),
    };
  if (chosen === undefined)
    return {
      ok: false,
      problem: `gemini-cli has no auth type: ${settings.userFile} chooses none and none of GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_GCA is set, so headless it refuses to start`,
      fix: `${setting("oauth-personal")} (signed in with Google), or export GEMINI_API_KEY=...`,
    };
  if (!(ACCEPTED as readonly string[]).includes(chosen.value))
    return {
      ok: false,
      problem: `gemini-cli would use the auth type '${chosen.value}' (from ${chosen.from}), which it refuses headless ("Invalid auth method selected.")`,
      fix:
        chosen.value === "gateway"
          ? `with a baseUrl, gemini-cli needs its auth type chosen: add ${GEMINI_KEY_AUTH_SETTING} to ${settings.userFile}`
          : `set security.auth.selectedType in ${settings.selectedType?.file ?? settings.userFile} to one of ${ACCEPTED.join(", ")}`,
    };
  const vertexReady =
    (env.GOOGLE_CLOUD_PROJECT && env.GOOGLE_CLOUD_LOCATION) ||
    env.GOOGLE_API_KEY;
  if (chosen.value === "vertex-ai" && !vertexReady)
    return {
      ok: false,
      problem: `gemini-cli's auth type is 'vertex-ai' (from ${chosen.from}), but neither GOOGLE_CLOUD_PROJECT with GOOGLE_CLOUD_LOCATION nor GOOGLE_API_KEY is set`,
      fix: "export GOOGLE_CLOUD_PROJECT=... GOOGLE_CLOUD_LOCATION=..., or GOOGLE_API_KEY=... (Vertex AI express mode)",
    };
  return {
    ok: true,
    detail: `auth type ${chosen.value} (from ${chosen.from})`,
  };
}

/**
 * Reads gemini-cli's settings as the CLI would in the agent's clone (`workspace`: the repo whose
 * clone it is) and judges them against the environment the CLI gets.
 */
export async function checkGeminiAuth(
  env: Readonly<Record<string, string | undefined>>,
  workspace: string | undefined,
): Promise<LoginCheck> {
  const home = env.GEMINI_CLI_HOME || env.HOME || os.homedir();
  const userFile = path.join(home, ".gemini", "settings.json");
  const files = [
    userFile,
    ...(workspace ? [path.join(workspace, ".gemini", "settings.json")] : []),
    env.GEMINI_CLI_SYSTEM_SETTINGS_PATH || "/etc/gemini-cli/settings.json",
  ];
  const settings: GeminiAuthSettings = { userFile };
  // Later files win, as gemini-cli merges them: user, then workspace, then system.
  for (const file of files) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    if (text === undefined) continue;
    const auth = readAuth(text);
    if (auth === undefined)
      return judgeGeminiAuth({ ...settings, unreadable: file }, env);
    if (auth.selectedType)
      settings.selectedType = { value: auth.selectedType, file };
    if (auth.enforcedType)
      settings.enforcedType = { value: auth.enforcedType, file };
  }
  return judgeGeminiAuth(settings, env);
}

/** `security.auth` of one settings file (or the older top-level `selectedAuthType`); undefined if not JSON. */
function readAuth(
  text: string,
): { selectedType?: string; enforcedType?: string } | undefined {
  try {
    const json = JSON.parse(text) as {
      security?: { auth?: { selectedType?: unknown; enforcedType?: unknown } };
      selectedAuthType?: unknown;
    };
    const auth = json.security?.auth;
    const str = (v: unknown) =>
      typeof v === "string" && v !== "" ? v : undefined;
    return {
      selectedType: str(auth?.selectedType) ?? str(json.selectedAuthType),
      enforcedType: str(auth?.enforcedType),
    };
  } catch {
    return undefined;
  }
}
