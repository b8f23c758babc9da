/**
 * Fake model vendors for whole-swarm runs: one local server per vendor (anthropic, openai, gemini)
 * speaking its real wire protocol, reached by the real SDKs in the agent processes. Each scripted
 * model reads the task id from the task prompt, writes `impl/<id>.txt` (what the task's oracle case
 * expects) with the write_file tool, then calls finish; a review request is approved. The first request of a task can be held
 * back until the test releases it, so a test knows an agent is mid-task while it waits there.
 */
import {
  startFakeServer,
  type FakeServer,
  type RecordedRequest,
  type Reply,
} from "../../agents/fixtures/fake-server.js";
import {
  anthropic,
  gemini,
  openai,
  type Vendor,
} from "../../agents/fixtures/vendors.js";

/** What a task's work must contain for its oracle case to pass. */
export function implText(taskId: string): string {
  return `impl ${taskId}\n`;
}

/** The task id in a task prompt (`# Task <id>: <title>`), wherever the vendor put the prompt. */
export function taskIdIn(text: string): string | undefined {
  return /# Task ([a-z0-9][a-z0-9._-]*):/.exec(text)?.[1];
}

export interface TaskModel {
  vendor: Vendor;
  server: FakeServer;
  /** Task ids of the generate requests seen so far, in order. */
  seen: string[];
  /** Holds the next task's first request until `release()`; `reached` resolves with that task's id. */
  holdNext(): { reached: Promise<string>; release: () => void };
}

/** Starts a scripted model server for `vendor`. */
export async function startTaskModel(vendor: Vendor): Promise<TaskModel> {
  const seen: string[] = [];
  let held:
    { reached: (taskId: string) => void; gate: Promise<void> } | undefined;
  const server = await startFakeServer(
    async (request: RecordedRequest, n: number): Promise<Reply> => {
      // The preflight lists models to prove the endpoint and key work.
      if (request.method === "GET") return { body: { data: [], models: [] } };
      if (!vendor.pathPattern.test(request.path))
        return {
          status: 404,
          body: { error: { message: `unexpected path ${request.path}` } },
        };
      // A review (runner/gates/review-gate.ts): every change is approved.
      if (request.raw.includes('"submit_review"'))
        return vendor.reply(
          {
            calls: [
              {
                name: "submit_review",
                args: { verdict: "approve", summary: "fine", findings: [] },
              },
            ],
          },
          n,
          usage,
        );
      const taskId = taskIdIn(request.raw);
      if (taskId === undefined)
        return vendor.reply(
          {
            calls: [
              { name: "give_up", args: { reason: "no task id in the prompt" } },
            ],
          },
          n,
          usage,
        );
      seen.push(taskId);
      // The second turn has the tool result of the write: finish then.
      const firstTurn = vendor.toolResults(request).length === 0;
      if (firstTurn && held !== undefined) {
        held.reached(taskId);
        await held.gate;
      }
      if (!firstTurn)
        return vendor.reply(
          {
            calls: [
              { name: "finish", args: { summary: `wrote impl/${taskId}.txt` } },
            ],
          },
          n,
          usage,
        );
      return vendor.reply(
        {
          calls: [
            {
              name: "write_file",
              args: { path: `impl/${taskId}.txt`, content: implText(taskId) },
            },
          ],
        },
        n,
        usage,
      );
    },
  );
  return {
    vendor,
    server,
    seen,
    holdNext() {
      let release = () => undefined as void;
      let reached: (taskId: string) => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const reachedPromise = new Promise<string>(
        (resolve) => (reached = resolve),
      );
      held = { reached, gate };
      return {
        reached: reachedPromise,
        release: () => {
          held = undefined;
          release();
        },
      };
    },
  };
}

const usage = { input: 200, output: 20 };

/** The three API vendors, one server each. */
export async function startTaskModels(): Promise<TaskModel[]> {
  return Promise.all(
    [anthropic, openai, gemini].map((vendor) => startTaskModel(vendor)),
  );
}
