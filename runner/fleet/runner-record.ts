/**
 * The fleet view's data: each runner announces itself on the hub in a small ref of its own,
 * `refs/swarm/runners/<runner-id>` (outside `refs/heads/`, never on main), whose tip holds one
 * `runner.json`: host, agents, GPUs, start time and a heartbeat. Pure parsing and judging here;
 * announcing and reading are in announcer.ts and fleet-read.ts.
 */

/** Where runner refs live on the hub. */
export const HUB_RUNNER_REFS = "refs/swarm/runners/";
/** The file a runner ref's commit holds. */
export const RUNNER_FILE = "runner.json";

/** One runner as it announced itself. Times are ISO-8601 strings in UTC. */
export interface RunnerRecord {
  id: string;
  host: string;
  agents: string[];
  /** GPUs the runner's host offers to job tasks (0: none). */
  gpus: number;
  startedAt: string;
  heartbeatAt: string;
  /** The claim lease of the run: silent past it. */
  leaseMs: number;
  state: "running" | "stopped";
  pid: number;
}

/** A runner as `gitswarm status` shows it. */
export interface FleetRunner extends RunnerRecord {
  /** `live` (heard from within its lease), `silent` (not), or `stopped` (said goodbye). */
  status: "live" | "silent" | "stopped";
  /** Milliseconds since its last heartbeat. */
  silentForMs: number;
}

/** Parses a `runner.json`; undefined when it is not one (a foreign or broken ref is skipped). */
export function parseRunnerRecord(text: string): RunnerRecord | undefined {
  let data: Partial<RunnerRecord>;
  try {
    data = JSON.parse(text) as Partial<RunnerRecord>;
  } catch {
    return undefined;
  }
  if (
    typeof data.id !== "string" ||
    typeof data.host !== "string" ||
    typeof data.heartbeatAt !== "string" ||
    Number.isNaN(Date.parse(data.heartbeatAt))
  )
    return undefined;
  return {
    id: data.id,
    host: data.host,
    agents: Array.isArray(data.agents) ? data.agents.map(String) : [],
    gpus: typeof data.gpus === "number" ? data.gpus : 0,
    startedAt: String(data.startedAt ?? data.heartbeatAt),
    heartbeatAt: data.heartbeatAt,
    leaseMs: typeof data.leaseMs === "number" ? data.leaseMs : 600_000,
    state: data.state === "stopped" ? "stopped" : "running",
    pid: typeof data.pid === "number" ? data.pid : 0,
  };
}

/** Renders a record as its ref's `runner.json`. */
export function renderRunnerRecord(record: RunnerRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Judges each runner at `now`: live within its lease, else silent; live first, then by host. */
export function describeFleet(
  records: readonly RunnerRecord[],
  now: Date,
): FleetRunner[] {
  return records
    .map((record): FleetRunner => {
      const silentForMs = Math.max(
        0,
        now.getTime() - Date.parse(record.heartbeatAt),
      );
      const status =
        record.state === "stopped"
          ? "stopped"
          : silentForMs > record.leaseMs
            ? "silent"
            : "live";
      return { ...record, status, silentForMs };
    })
    .sort(
      (a, b) =>
        rank(a.status) - rank(b.status) ||
        a.host.localeCompare(b.host) ||
        a.id.localeCompare(b.id),
    );
}

function rank(status: FleetRunner["status"]): number {
  return { live: 0, silent: 1, stopped: 2 }[status];
}

/** The fleet as lines for `gitswarm status`. */
export function formatFleet(runners: readonly FleetRunner[]): string[] {
  if (runners.length === 0) return ["runners: none announced on the hub"];
  const live = runners.filter((r) => r.status === "live").length;
  return [
    `runners: ${runners.length} (${live} live)`,
    ...runners.map((r) => {
      const seen = `${Math.round(r.silentForMs / 1000)}s ago`;
      const gpus = r.gpus > 0 ? `, ${r.gpus} GPU(s)` : "";
      const mark =
        r.status === "silent"
          ? `SILENT (last heartbeat ${seen}, past its lease)`
          : r.status === "stopped"
            ? `stopped ${seen}`
            : `live (heartbeat ${seen})`;
      return `  ${r.id} on ${r.host}: ${r.agents.join(", ") || "no agents"}${gpus} — ${mark}`;
    }),
  ];
}
