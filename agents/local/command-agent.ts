/**
 * The `command` kind. For a job task (one with `run:`), it runs that shell command in the workspace
 * and reports its exit. Without `run:`, a configured `command:` is a generic agent: any program
 * that takes the task prompt (in $GITSWARM_PROMPT and on stdin) and edits the workspace.
 * Job commands are written in PROGRESS.md, which agents can edit too, so they get no secrets
 * unless the spec lists them in `passEnv`.
 */
import path from "node:path";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { nvidiaDevices } from "../../coordination/base/sandbox/gpu-devices.js";
import { dropUnlessPassed, type AgentOptions } from "../api-agent.js";
import type { AgentSpec } from "../config.js";
import { budgetSpent, redactFailure } from "../cli/cli-agent.js";
import { classifyFailureText, lastLines } from "../cli/cli-result.js";
import { buildTaskPrompt } from "../prompt.js";
import { redact, scrubEnv, secretValues } from "../secrets.js";
import {
  emptyUsage,
  PREEMPTED_EXIT_CODE,
  type Agent,
  type WorkOutcome,
  type WorkRequest,
} from "../types.js";

/** A command agent (job runner, or generic agent when `command:` is set). */
export function createCommandAgent(
  spec: AgentSpec,
  options: AgentOptions = {},
): Agent {
  return {
    name: spec.name,
    kind: spec.kind,
    work: (request) => runCommand(spec, request, options),
  };
}

async function runCommand(
  spec: AgentSpec,
  request: WorkRequest,
  options: AgentOptions,
): Promise<WorkOutcome> {
  const env = options.env ?? process.env;
  const emit = options.onEvent ?? (() => undefined);
  const usage = emptyUsage();
  const command = request.task.run ?? spec.command;
  if (command === undefined) {
    return {
      kind: "gave-up",
      reason: `task ${request.task.id} has no run: command and agent ${spec.name} has no command: configured`,
      usage,
    };
  }
  if (budgetSpent(request))
    return {
      kind: "failed",
      error: { kind: "budget-exceeded", detail: "no budget left" },
      usage,
    };
  const isJob = request.task.run !== undefined;
  const prompt = buildTaskPrompt(request);
  emit({
    type: "prompt",
    agent: spec.name,
    text: isJob ? `run: ${command}` : prompt,
  });
  const job = isJob ? request.job : undefined;
  const timeoutMs =
    job?.timeLimitMs ?? request.budget.timeoutMs ?? spec.timeout;
  const started = performance.now();
  let result;
  try {
    result = await runProcess("/bin/sh", ["-c", command], {
      cwd: request.workspaceDir,
      env: {
        ...scrubEnv(
          env,
          spec.passEnv,
          dropUnlessPassed(options.keyNames, spec.passEnv),
        ),
        GITSWARM_TASK_ID: request.task.id,
        ...(isJob ? {} : { GITSWARM_PROMPT: prompt }),
        ...job?.env,
      },
      extendEnv: false,
      ...(isJob ? {} : { input: prompt }),
      timeoutMs,
      // A job gets its stop grace to write a checkpoint between SIGTERM and SIGKILL.
      ...(job ? { killGraceMs: job.stopGraceMs } : {}),
      signal: request.signal,
      maxOutputBytes: 16 * 1024 * 1024,
      confine: job ? await jobConfinement(job.env) : { role: "command" },
    });
  } catch (error) {
    // Only when the process cannot start at all (the workspace is gone).
    return {
      kind: "failed",
      error: { kind: "crashed", detail: (error as Error).message },
      usage,
    };
  }
  const ms = Math.round(performance.now() - started);
  // Its stdout becomes the done-commit's summary: no key value may survive into history.
  const secrets = secretValues(env, [...(options.keyNames ?? [])]);
  const stdout = redact(decode(result.stdout), secrets);
  const stderr = redact(decode(result.stderr), secrets);
  // Everything it printed goes to its own log (the outcome keeps only the last lines).
  for (const [stream, text] of [
    ["stdout", stdout],
    ["stderr", stderr],
  ] as const)
    if (text.trim() !== "")
      emit({ type: "output", agent: spec.name, stream, text });
  const outcome: WorkOutcome = result.aborted
    ? { kind: "failed", error: { kind: "aborted" }, usage }
    : result.timedOut
      ? {
          kind: "failed",
          error: { kind: "timed-out", detail: `killed after ${timeoutMs} ms` },
          usage,
        }
      : isJob && result.exitCode === PREEMPTED_EXIT_CODE
        ? {
            kind: "failed",
            error: {
              kind: "preempted",
              detail: `exit code ${PREEMPTED_EXIT_CODE}: ${lastLines(stderr, 2) || "preempted"}`,
            },
            usage,
          }
        : result.exitCode === 0
          ? {
              kind: "finished",
              summary:
                lastLines(stdout, 3) || `${isJob ? "job" : "command"} exited 0`,
              usage,
            }
          : {
              kind: "failed",
              error: redactFailure(
                jobFailure(`${stderr}\n${stdout}`, result.exitCode, isJob),
                secrets,
              ),
              usage,
            };
  emit({
    type: "cli-run",
    agent: spec.name,
    command: isJob ? "run:" : "command:",
    exitCode: result.exitCode,
    ms,
    outcome: outcome.kind,
  });
  return outcome;
}

/** A job's sandbox also holds its run dir (checkpoints, metrics) and, when it has GPUs, the device nodes. */
async function jobConfinement(env: Record<string, string>) {
  const checkpoints = env.GITSWARM_CHECKPOINT_DIR;
  const gpus = (env.CUDA_VISIBLE_DEVICES ?? "") !== "";
  return {
    role: "job" as const,
    writable: checkpoints === undefined ? [] : [path.dirname(checkpoints)],
    devices: gpus ? await nvidiaDevices() : [],
  };
}

function jobFailure(text: string, exitCode: number | null, isJob: boolean) {
  // A job's own output saying "quota" is not a provider limit; only generic agents are model front-ends.
  if (isJob)
    return {
      kind: "crashed" as const,
      detail: `exit code ${exitCode ?? "none (killed)"}: ${lastLines(text, 8) || "no output"}`,
    };
  return classifyFailureText(text, exitCode);
}
