/**
 * A whole swarm to run through the real CLI: the three fake API vendors (real SDKs, local servers),
 * fake vendor CLIs first on PATH, and a user repo whose gitswarm.config.yaml names agents of each
 * kind with short leases, so lock recovery after a crash takes seconds.
 */
import { rm } from "node:fs/promises";
import path from "node:path";
import { installTaskClis } from "./task-clis.js";
import { startTaskModels, type TaskModel } from "./task-model.js";
import {
  createSwarmRepo,
  type RepoTask,
  type SwarmRepo,
} from "./swarm-repo.js";

/** The CLI kinds a scenario can run, by the binary the fake provides. */
export type CliKind = "claude-code" | "codex" | "gemini-cli" | "aider";

export interface Scenario {
  repo: SwarmRepo;
  models: TaskModel[];
  /** The environment `gitswarm run` gets: fake CLIs first on PATH, dummy API keys. */
  env: Record<string, string>;
  /** Agent names, in config order. */
  agents: string[];
  cleanup(): Promise<void>;
}

export interface ScenarioOptions {
  tasks: RepoTask[];
  /** Which API vendors get an agent (default all three). */
  api?: ("anthropic" | "openai" | "gemini")[];
  cli?: CliKind[];
  lease?: string;
  /** Attempts before a task is marked blocked (default 3). */
  maxAttempts?: number;
  /** Task ids that get oracle cases but are not in PROGRESS.md yet. */
  extraCases?: string[];
  /**
   * Routes the first task to the first agent, the second to the second, and so on (a tag only
   * that agent may take), so every agent surely lands one whatever the machine's load.
   */
  oneTaskEach?: boolean;
  /** `queue.enabled` (default: the config's default). */
  queue?: boolean;
}

/** Starts the vendors and builds the repo. */
export async function createScenario(
  options: ScenarioOptions,
): Promise<Scenario> {
  const api = options.api ?? ["anthropic", "openai", "gemini"];
  const cli = options.cli ?? ["claude-code", "codex"];
  const allModels = await startTaskModels();
  const models = allModels.filter((m) => api.includes(m.vendor.kind));
  await Promise.all(
    allModels.filter((m) => !models.includes(m)).map((m) => m.server.close()),
  );
  const binDir = await installTaskClis();
  const lines = [
    `lease: ${options.lease ?? "5s"}`,
    `maxAttempts: ${options.maxAttempts ?? 3}`,
    "stuckAfter: 2m",
    ...(options.queue === undefined
      ? []
      : ["queue:", `  enabled: ${options.queue}`]),
    "agents:",
  ];
  const agents: string[] = [];
  for (const model of models) {
    const name = `${model.vendor.kind}-api`;
    agents.push(name);
    lines.push(
      `  - name: ${name}`,
      `    kind: ${model.vendor.kind}`,
      `    model: ${model.vendor.model}`,
      `    baseUrl: ${model.vendor.baseUrl(model.server.url)}`,
      "    maxTurns: 6",
      "    timeout: 2m",
    );
  }
  for (const kind of cli) {
    const name = `${kind}-cli`;
    agents.push(name);
    lines.push(`  - name: ${name}`, `    kind: ${kind}`, "    timeout: 2m");
  }
  let tasks = options.tasks;
  if (options.oneTaskEach === true) {
    const only = (agent: string) => `only-${agent}`;
    tasks = tasks.map((task, i) => {
      const agent = agents[i];
      return agent === undefined ? task : { ...task, tags: [only(agent)] };
    });
    lines.push(
      "routing:",
      ...agents.map((agent) => `  ${only(agent)}: [${agent}]`),
    );
  }
  const repo = await createSwarmRepo(
    tasks,
    `${lines.join("\n")}\n`,
    options.extraCases,
  );
  const env: Record<string, string> = {
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    ANTHROPIC_API_KEY: "sk-ant-test-dummy",
    OPENAI_API_KEY: "sk-test-dummy",
    GEMINI_API_KEY: "gemini-test-dummy",
  };
  return {
    repo,
    models,
    env,
    agents,
    async cleanup() {
      await Promise.all(models.map((m) => m.server.close()));
      await rm(binDir, { recursive: true, force: true });
      await rm(repo.root, { recursive: true, force: true });
    },
  };
}
