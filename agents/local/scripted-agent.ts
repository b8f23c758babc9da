/**
 * The scripted agent of the offline demo: no model, no network. For each task it applies a prepared
 * change from `<scriptDir>/<task-id>/attempt-<k>/` (files copied over the workspace, `X.delete`
 * removing `X`), where k counts the task's failed attempts, so a script can be deliberately wrong
 * the first time and right the next. It then "thinks" for a while, so a demo can watch, kill or
 * break it mid-task. It is labelled `scripted` everywhere it reports.
 */
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import {
  attemptNumber,
  availableAttempts,
  pickAttempt,
  planFileOps,
} from "./scripted-plan.js";
import {
  emptyUsage,
  type Agent,
  type WorkOutcome,
  type WorkRequest,
} from "../types.js";

/** Options of {@link createScriptedAgent}. */
export interface ScriptedAgentOptions {
  /** How long an attempt "thinks" after applying its change (default 1500 ms). */
  thinkMs?: number;
}

const DEFAULT_THINK_MS = 1500;

/** A scripted agent reading its prepared changes from `scriptDir`. Never throws from `work`. */
export function createScriptedAgent(
  name: string,
  scriptDir: string,
  options: ScriptedAgentOptions = {},
): Agent {
  const thinkMs = options.thinkMs ?? DEFAULT_THINK_MS;
  return {
    name,
    kind: "scripted",
    work: (request) => workScripted(scriptDir, thinkMs, request),
  };
}

async function workScripted(
  scriptDir: string,
  thinkMs: number,
  request: WorkRequest,
): Promise<WorkOutcome> {
  const usage = emptyUsage();
  if (request.signal.aborted)
    return { kind: "failed", error: { kind: "aborted" }, usage };
  const taskId = request.task.id;
  const taskDir = path.join(scriptDir, taskId);
  const available = availableAttempts(await listNames(taskDir));
  const attempt = attemptNumber(request.task.notes);
  const chosen = pickAttempt(available, attempt);
  if (chosen === undefined) {
    return {
      kind: "gave-up",
      reason: `scripted: no prepared change for task ${taskId} (expected ${taskDir}/attempt-1/); this demo agent only does the tasks it has scripts for`,
      usage,
    };
  }
  const attemptDir = path.join(taskDir, `attempt-${chosen}`);
  try {
    await applyAttempt(attemptDir, request.workspaceDir);
  } catch (error) {
    return {
      kind: "failed",
      error: {
        kind: "crashed",
        detail: `scripted: ${(error as Error).message}`,
      },
      usage,
    };
  }
  try {
    await delay(thinkMs, undefined, { signal: request.signal });
  } catch {
    return { kind: "failed", error: { kind: "aborted" }, usage };
  }
  return {
    kind: "finished",
    summary: `scripted: applied attempt ${chosen} for ${taskId}`,
    usage,
  };
}

/** Copies the prepared files of `attemptDir` over `workspaceDir` and performs its deletions. */
export async function applyAttempt(
  attemptDir: string,
  workspaceDir: string,
): Promise<void> {
  for (const op of planFileOps(await listFiles(attemptDir))) {
    if (op.kind === "delete") {
      await rm(path.join(workspaceDir, ...op.path.split("/")), {
        recursive: true,
        force: true,
      });
      continue;
    }
    const target = path.join(workspaceDir, ...op.to.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(attemptDir, ...op.from.split("/")), target);
  }
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    // No folder for the task: the caller reports it as a gave-up with the path it looked at.
    return [];
  }
}

// Every file under `dir`, as POSIX paths relative to it.
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path
        .relative(dir, path.join(entry.parentPath, entry.name))
        .split(path.sep)
        .join("/"),
    );
}
