/**
 * The individual preflight checks: git, GPUs, and each agent by kind (CLI answers --version and has
 * a key or its own login, API key set, a custom endpoint answers a real request). Each returns a
 * DoctorCheck value, never throws.
 */
import os from "node:os";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { apiKeyEnvOf } from "../api-agent.js";
import { CLI_DRIVERS, cliEnv } from "../cli/cli-agent.js";
import { checkCliLogin } from "./cli-login.js";
import { checkGeminiAuth } from "./gemini-auth.js";
import { lastLines } from "../cli/cli-result.js";
import type { AgentSpec } from "../config.js";
import type { DoctorCheck, DoctorOptions } from "./doctor-types.js";
import { KIND_INFO } from "../kinds.js";

/** Checks one agent by its kind. */
export async function checkAgent(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
  options: DoctorOptions = {},
): Promise<DoctorCheck> {
  const base = {
    name: `agent ${spec.name} (${spec.kind})`,
    agent: spec.name,
    kind: spec.kind,
  };
  if (spec.kind === "command") {
    if (spec.command === undefined)
      return {
        ...base,
        ok: true,
        detail: "runs job tasks' run: commands with /bin/sh",
      };
    const program = spec.command.trim().split(/\s+/)[0] ?? "";
    const found = await answers(
      "/bin/sh",
      ["-c", `command -v ${shellQuote(program)}`],
      env,
      options,
    );
    return found.ok
      ? { ...base, ok: true, detail: `${program} found at ${found.output}` }
      : {
          ...base,
          ok: false,
          problem: `'${program}' (from command: ${spec.command}) is not on PATH`,
          fix: `install ${program} or fix the command: line of agent ${spec.name}`,
        };
  }
  const cli = CLI_DRIVERS[spec.kind as keyof typeof CLI_DRIVERS];
  if (cli !== undefined) {
    // The CLI sees what it would see at work: its own key, no other secret.
    const own = { ...cliEnv(spec, env), ...cli.env?.(spec, env) };
    const result = await answers(cli.binary, ["--version"], own, options);
    if (result.ok) {
      const login = await checkCliLogin(spec, env, (file, args) =>
        answers(file, args, own, options, 40),
      );
      if (!login.ok)
        return { ...base, ok: false, problem: login.problem, fix: login.fix };
      // gemini-cli picks an auth type before it starts and refuses some headless (exit 41).
      const auth =
        spec.kind === "gemini-cli"
          ? await checkGeminiAuth(own, options.repoDir)
          : undefined;
      if (auth !== undefined && !auth.ok)
        return { ...base, ok: false, problem: auth.problem, fix: auth.fix };
      const warning = rootWarning(spec, env, options);
      return {
        ...base,
        ok: true,
        detail: `${cli.binary} ${result.output}; ${login.detail}${auth?.ok ? `; ${auth.detail}` : ""}`,
        ...(warning ? { warning } : {}),
      };
    }
    return {
      ...base,
      ok: false,
      problem: result.missing
        ? `the '${cli.binary}' CLI is not on PATH`
        : `'${cli.binary} --version' failed: ${result.output}`,
      // Slow is not missing (gemini takes seconds to start on a busy machine): no install advice.
      fix: result.output.startsWith("no answer within")
        ? `'${cli.binary} --version' is slow here: run 'gitswarm doctor' again when the machine is less busy`
        : (KIND_INFO[spec.kind].install ?? `install ${cli.binary}`),
    };
  }
  return checkApi(spec, env, options, base);
}

async function checkApi(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
  options: DoctorOptions,
  base: Omit<DoctorCheck, "ok">,
): Promise<DoctorCheck> {
  const keyEnv = apiKeyEnvOf(spec);
  const key =
    env[keyEnv] ??
    (spec.kind === "gemini" && spec.apiKeyEnv === undefined
      ? env.GOOGLE_API_KEY
      : undefined);
  const local = spec.kind === "openai" && spec.baseUrl !== undefined;
  if ((key === undefined || key === "") && !local) {
    return {
      ...base,
      ok: false,
      problem: `${keyEnv} is not set`,
      fix: `export ${keyEnv}=...  (${KIND_INFO[spec.kind].keyHelp ?? "get a key from the vendor"})`,
    };
  }
  if (spec.baseUrl === undefined)
    return {
      ...base,
      ok: true,
      detail: `${keyEnv} is set; model ${spec.model ?? KIND_INFO[spec.kind].defaultModel}`,
    };
  return probeEndpoint(spec, key, options, base);
}

/** A real request to a custom endpoint (listing models: free, and proves the server and key work). */
async function probeEndpoint(
  spec: AgentSpec,
  key: string | undefined,
  options: DoctorOptions,
  base: Omit<DoctorCheck, "ok">,
): Promise<DoctorCheck> {
  const root = (spec.baseUrl ?? "").replace(/\/+$/, "");
  const url =
    spec.kind === "openai"
      ? `${root}/models`
      : spec.kind === "anthropic"
        ? `${root}/v1/models`
        : `${root}/v1beta/models`;
  const headers: Record<string, string> =
    spec.kind === "anthropic"
      ? { "x-api-key": key ?? "", "anthropic-version": "2023-06-01" }
      : spec.kind === "gemini"
        ? { "x-goog-api-key": key ?? "" }
        : key
          ? { authorization: `Bearer ${key}` }
          : {};
  try {
    const response = await (options.fetch ?? fetch)(url, {
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    if (response.status === 401 || response.status === 403) {
      return {
        ...base,
        ok: false,
        problem: `${spec.baseUrl} rejected the key (HTTP ${response.status})`,
        fix: `check ${apiKeyEnvOf(spec)}`,
      };
    }
    if (!response.ok)
      return {
        ...base,
        ok: false,
        problem: `${url} answered HTTP ${response.status}`,
        fix: `check baseUrl of agent ${spec.name} and that the server serves model ${spec.model ?? ""}`.trim(),
      };
    return { ...base, ok: true, detail: `${spec.baseUrl} answered` };
  } catch (error) {
    return {
      ...base,
      ok: false,
      problem: `${spec.baseUrl} did not answer: ${(error as Error).message}`,
      fix: `start the server (e.g. \`ollama serve\`) or fix baseUrl of agent ${spec.name}`,
    };
  }
}

/** Checks git is on PATH and 2.30 or newer. */
export async function checkGit(
  env: NodeJS.ProcessEnv,
  options: DoctorOptions,
): Promise<DoctorCheck> {
  const result = await answers("git", ["--version"], env, options);
  const version = /(\d+)\.(\d+)/.exec(result.output);
  if (!result.ok || version === null)
    return {
      name: "git",
      ok: false,
      problem: result.missing
        ? "git is not on PATH"
        : `'git --version' failed: ${result.output}`,
      fix: "install git 2.30 or newer",
    };
  const old =
    Number(version[1]) < 2 ||
    (Number(version[1]) === 2 && Number(version[2]) < 30);
  return old
    ? {
        name: "git",
        ok: false,
        problem: `${result.output} is too old`,
        fix: "install git 2.30 or newer",
      }
    : { name: "git", ok: true, detail: result.output };
}

/** Checks GPUs are visible (only when an agent declares the gpu capability). */
export async function checkGpus(
  env: NodeJS.ProcessEnv,
  options: DoctorOptions,
): Promise<DoctorCheck> {
  const result = await answers("nvidia-smi", ["-L"], env, options);
  if (result.ok)
    return {
      name: "gpus",
      ok: true,
      detail: result.output.split("\n")[0] ?? result.output,
    };
  return {
    name: "gpus",
    ok: false,
    problem: result.missing
      ? "an agent declares capability 'gpu' but nvidia-smi is not on PATH"
      : `'nvidia-smi -L' failed: ${result.output}`,
    fix: "install the NVIDIA driver, or remove gpu from the capabilities of agents on this host",
  };
}

async function answers(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: DoctorOptions,
  keepLines = 2,
): Promise<{ ok: boolean; missing: boolean; output: string }> {
  try {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const r = await runProcess(file, args, {
      cwd: options.cwd ?? os.tmpdir(),
      env: { ...env },
      extendEnv: false,
      timeoutMs,
      maxOutputBytes: 1024 * 1024,
    });
    const text = lastLines(
      `${decode(r.stdout)}\n${decode(r.stderr)}`,
      keepLines,
    ).trim();
    if (r.timedOut)
      return {
        ok: false,
        missing: false,
        output: `no answer within ${timeoutMs} ms`,
      };
    return {
      ok: r.exitCode === 0,
      missing: false,
      output: r.exitCode === 0 ? text : `exit code ${r.exitCode}: ${text}`,
    };
  } catch {
    return { ok: false, missing: true, output: "" };
  }
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Claude Code refuses --dangerously-skip-permissions under root outside a sandbox: say so up front. */
function rootWarning(
  spec: AgentSpec,
  env: NodeJS.ProcessEnv,
  options: DoctorOptions,
): string | undefined {
  const uid = options.uid ?? process.getuid?.();
  if (spec.kind !== "claude-code" || uid !== 0 || env.IS_SANDBOX === "1")
    return undefined;
  return "running as root: claude refuses --dangerously-skip-permissions as root; run as a normal user, or set IS_SANDBOX=1 inside a container";
}
