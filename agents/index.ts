/** The public API of the agent layer: config, agent creation, the contract types, prices and the preflight. */
export {
  agentSpecSchema,
  agentsConfigSchema,
  defaultSpec,
  formatIssues,
  modelOf,
  type AgentSpec,
} from "./config.js";
export { parseAgentsFlag } from "./agents-flag.js";
export {
  createAgent,
  createAgents,
  type AgentOptions,
} from "./create-agent.js";
export { withFallback } from "./providers/fallback.js";
export {
  AgentKinds,
  ApiKinds,
  CliKinds,
  addUsage,
  emptyUsage,
  PREEMPTED_EXIT_CODE,
} from "./types.js";
export type {
  Agent,
  AgentEvent,
  AgentFailure,
  AgentKind,
  AgentTask,
  JobRuntime,
  Usage,
  WorkOutcome,
  WorkRequest,
} from "./types.js";
export {
  DEFAULT_PRICES,
  DEFAULT_PRICES_DATE,
  costOf,
  findPrice,
  mergePrices,
  pricesSchema,
  type ModelPrice,
  type PriceTable,
} from "./spend/cost.js";
export { checkBudget, effectiveLimit } from "./spend/budget.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./providers/retry.js";
export { KIND_INFO } from "./kinds.js";
export { buildTaskPrompt } from "./prompt.js";
export {
  agentProcessSecrets,
  configuredKeyNames,
  declareSecretNames,
  keyNamesOf,
  redact,
  scrubEnv,
  secretValues,
} from "./secrets.js";
export { runDoctor, formatDoctorReport } from "./doctor/doctor.js";
export type {
  DoctorCheck,
  DoctorReport,
  DoctorOptions,
} from "./doctor/doctor-types.js";
export { checkAgent } from "./doctor/doctor-checks.js";
export { preflightAgents, type Preflight } from "./doctor/preflight.js";
export {
  loadAgentsConfig,
  parseAgentsConfig,
  type AgentsConfig,
} from "./load-config.js";
export { describeOutcome, previousFailureForPrompt } from "./outcome-text.js";
export {
  BreakerRegistry,
  CircuitBreaker,
} from "./providers/circuit-breaker.js";
