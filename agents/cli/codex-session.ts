/**
 * What `codex exec --json` leaves out of its output and writes to its session log: the model each
 * turn really used (`turn_context.model`, the CLI's default when no --model was given) and one
 * `token_usage_record` per model response. The log is `$CODEX_HOME/sessions/YYYY/MM/DD/
 * rollout-…-<thread id>.jsonl` (CODEX_HOME defaults to ~/.codex). Checked against codex 0.169.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { ModelUsage } from "../spend/model-usage.js";
import { jsonLines, num, totalsOf, type CliResult } from "./cli-result.js";

/** Per-model requests and tokens from a session log's text; empty when it records no response. Pure. */
export function parseCodexSession(text: string): ModelUsage[] {
  const modelOfTurn = new Map<string, string>();
  const byModel = new Map<string, ModelUsage>();
  for (const line of jsonLines(text)) {
    const payload = (line.payload ?? {}) as Record<string, unknown>;
    if (line.type === "turn_context" && typeof payload.model === "string")
      modelOfTurn.set(String(payload.turn_id ?? ""), payload.model);
    if (line.type !== "token_usage_record") continue;
    const usage = (payload.usage ?? {}) as Record<string, unknown>;
    const model =
      modelOfTurn.get(String(payload.turn_id ?? "")) ??
      [...modelOfTurn.values()].at(-1) ??
      "unreported";
    const entry = byModel.get(model) ?? {
      model,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    entry.requests += 1;
    entry.inputTokens += num(usage.input_tokens);
    entry.outputTokens += num(usage.output_tokens);
    entry.cacheReadTokens =
      (entry.cacheReadTokens ?? 0) + num(usage.cached_input_tokens);
    entry.cacheWriteTokens =
      (entry.cacheWriteTokens ?? 0) + num(usage.cache_write_input_tokens);
    byModel.set(model, entry);
  }
  return [...byModel.values()];
}

/** Finds the session log of `threadId` among the day folders of `now` and the day before. */
export async function findCodexSessionLog(
  codexHome: string,
  threadId: string,
  now: Date = new Date(),
): Promise<string | undefined> {
  const days = new Set<string>();
  for (const at of [now, new Date(now.getTime() - 86_400_000)]) {
    const pad = (n: number) => String(n).padStart(2, "0");
    days.add(
      `${at.getFullYear()}/${pad(at.getMonth() + 1)}/${pad(at.getDate())}`,
    );
    days.add(
      `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}`,
    );
  }
  for (const day of days) {
    const dir = path.join(codexHome, "sessions", ...day.split("/"));
    const names = await readdir(dir).catch(() => [] as string[]);
    const hit = names.find((n) => n.endsWith(`${threadId}.jsonl`));
    if (hit !== undefined) return path.join(dir, hit);
  }
  return undefined;
}

/**
 * A parsed codex run completed from its session log: the models it used and its requests. Without
 * a log (another CODEX_HOME, an older codex), the result keeps the turn totals of its output.
 */
export async function withCodexSession(
  result: CliResult,
  env: Record<string, string | undefined>,
): Promise<CliResult> {
  if (result.sessionId === undefined) return result;
  const home =
    env.CODEX_HOME ??
    (env.HOME !== undefined ? path.join(env.HOME, ".codex") : undefined);
  if (home === undefined) return result;
  const file = await findCodexSessionLog(home, result.sessionId);
  if (file === undefined) return result;
  const models = parseCodexSession(
    await readFile(file, "utf8").catch(() => ""),
  );
  if (models.length === 0) return result;
  const main = [...models].sort((a, b) => b.inputTokens - a.inputTokens)[0];
  return {
    ...result,
    ...totalsOf(models),
    models,
    ...(main !== undefined ? { model: main.model } : {}),
  };
}
