/** The public API of the agent layer: config, agent creation, the contract types, prices and the preflight. */
export {
  agentSpecSchema,
  agentsConfigSchema,
  defaultSpec,
  formatIssues,
  modelOf,
  parseAgentsFlag,
  type AgentSpec,
} from "./config.js";
export {
  createAgent,
  createAgents,
  type AgentOptions,
} from "./create-agent.js";
export { withFallback } from "./fallback.js";
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
} from "./cost.js";
export { checkBudget, effectiveLimit } from "./budget.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
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
export {
  runDoctor,
  formatDoctorReport,
  type DoctorCheck,
  type DoctorReport,
  type DoctorOptions,
} from "./doctor.js";
export { checkAgent } from "./doctor-checks.js";
export { preflightAgents, type Preflight } from "./preflight.js";
export {
  loadAgentsConfig,
  parseAgentsConfig,
  type AgentsConfig,
} from "./load-config.js";
export { describeOutcome, previousFailureForPrompt } from "./outcome-text.js";
export { BreakerRegistry, CircuitBreaker } from "./circuit-breaker.js";
