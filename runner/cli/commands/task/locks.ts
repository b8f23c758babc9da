/**
 * `gitswarm locks` lists locks (the task refs' tips) with lease state; `gitswarm locks break TASK`
 * breaks a stale one; `gitswarm locks migrate` moves a previous-layout hub's locks to task refs.
 */
import { migrateLegacyLocks } from "../../../../coordination/state/hub-layout.js";
import {
  breakLock,
  type BreakResult,
} from "../../../../coordination/protocol/break-lock.js";
import {
  readSwarmState,
  type LockState,
} from "../../../../coordination/protocol/swarm-state.js";
import { UserError } from "../../../../coordination/base/errors.js";
import {
  ExitCode,
  parseCommandArgs,
  printJson,
  type Command,
  type CommandIo,
} from "../../command.js";
import { describeActor, openCliWorkspace } from "../../cli-workspace.js";
import { reportHubProblems } from "../../hub-problems.js";
import { closestKey } from "../../../../coordination/base/config-file.js";
import { agentLabels } from "../../../../coordination/protocol/lock-owner.js";

export const locksCommand: Command = {
  name: "locks",
  summary:
    "list locks with lease state (live / expiring / stale); `locks break TASK`; `locks migrate`",
  usage: `Usage: gitswarm locks [--repo DIR] [--json]
       gitswarm locks break TASK [--as NAME] [--force] [--repo DIR] [--json]
       gitswarm locks migrate [--as NAME] [--repo DIR] [--json]

Each claim is the tip of its task's ref on the hub (refs/swarm/tasks/TASK); main holds no locks.

A lock is stale when its lease has expired and its work branch got no heartbeat within a lease
length (plus a clock-skew allowance). Only stale locks can be broken; --force breaks a live one
and is recorded as forced. The holder's work branch is always kept for the next claimer.
A lock with impossible times (lease ending before the claim, claimed in the future, a lease over
30 days) is broken and can be broken without --force. The breaker is --as NAME, else git config
user.name. 'locks migrate' moves every lock of gitswarm's previous layout (locks/ on main) to its
task ref in one atomic push, keeping each holder, claim id and lease.`,
  async run(argv, io) {
    const { values, positionals: args } = parseCommandArgs("locks", argv, {
      as: { type: "string" },
      force: { type: "boolean", default: false },
    });
    if (args[0] === "break") {
      if (args.length !== 2)
        throw new UserError("usage", "gitswarm locks break expects <TASK>");
      return breakOne(io, args[1] ?? "", values);
    }
    if (args[0] === "migrate") {
      if (args.length !== 1)
        throw new UserError("usage", "gitswarm locks migrate takes no TASK");
      return migrate(io, values);
    }
    if (args.length > 0) {
      const near = closestKey(args[0] ?? "", ["break", "migrate"]);
      const rest = args.slice(1).join(" ");
      throw new UserError(
        "usage",
        `unknown subcommand '${args[0]}'${near !== undefined ? ` (did you mean 'locks ${near}${rest ? ` ${rest}` : ""}'?)` : "; the subcommands are 'locks break TASK' and 'locks migrate'"}`,
      );
    }
    const { ws } = await openCliWorkspace(io, values.repo);
    const state = await readSwarmState(ws, { signal: io.signal });
    if (values.json) {
      const labels = holderLabels(state.locks);
      printJson(
        io,
        state.locks.map((lock) => toJson(lock, labels)),
      );
    } else io.stdout(formatLocks(state.locks));
    return reportHubProblems(
      io,
      "locks",
      state.problems.filter((p) => /^(locks|tasks)\//.test(p.file)),
    );
  },
};

async function migrate(
  io: CommandIo,
  values: { repo?: string; as?: string; json?: boolean },
) {
  const { ws, actor } = await openCliWorkspace(io, values.repo, {
    command: "locks migrate",
    as: values.as,
  });
  const result = await migrateLegacyLocks(ws, actor?.name ?? "", io.signal);
  if (values.json) printJson(io, result);
  else if (result.migrated.length === 0)
    io.stdout("no locks on main: nothing to migrate\n");
  else
    io.stdout(
      `moved ${result.migrated.length} lock(s) to task refs (${result.migrated.join(", ")}); main no longer holds locks/ (${result.commit?.slice(0, 12)})\n`,
    );
  return ExitCode.ok;
}

async function breakOne(
  io: CommandIo,
  taskId: string,
  values: { repo?: string; as?: string; force?: boolean; json?: boolean },
) {
  const { ws, actor } = await openCliWorkspace(io, values.repo, {
    command: "locks break",
    as: values.as,
  });
  const breaker = actor?.name ?? "";
  const acting = describeActor(actor);
  if (acting !== undefined && !values.json) io.stderr(`${acting}\n`);
  const result = await breakLock(ws, {
    taskId,
    breaker,
    force: values.force,
    signal: io.signal,
  });
  if (values.json) printJson(io, result);
  else
    io[result.outcome === "broken" ? "stdout" : "stderr"](
      `${describeBreak(taskId, breaker, result)}\n`,
    );
  if (result.outcome === "broken") return ExitCode.ok;
  return result.outcome === "refused" ? ExitCode.claimLost : ExitCode.failure;
}

function describeBreak(
  taskId: string,
  breaker: string,
  result: BreakResult,
): string {
  if (result.outcome === "broken") {
    const keep = result.previous
      ? `; work kept on ${result.previous.branch}`
      : "";
    return `${breaker} broke the lock on ${taskId}${result.forced ? " (forced)" : ""}: ${result.evidence}${keep}`;
  }
  if (result.outcome === "refused")
    return `not broken: the lock on ${taskId} is ${result.state}: ${result.evidence}`;
  return result.message;
}

function toJson(lock: LockState, labels: ReadonlyMap<string, string>) {
  if (!lock.entry.ok)
    return {
      file: lock.entry.file,
      state: "malformed",
      problem: lock.entry.problem,
      line: lock.entry.line,
    };
  return {
    ...lock.entry.lock,
    label: labels.get(lock.entry.lock.claimId) ?? lock.entry.lock.agent,
    file: lock.entry.file,
    state: lock.lease?.state,
    staleAt: lock.lease?.staleAt,
    lastHeartbeat: lock.lastHeartbeat ?? null,
  };
}

/**
 * Each lock's holder as people read it across a fleet, by claim id: the bare agent name, or
 * `bot-1@host` where two runners hold locks under one name (lock-owner.ts's agentLabels).
 */
export function holderLabels(locks: readonly LockState[]): Map<string, string> {
  const held = locks.flatMap((l) => (l.entry.ok ? [l.entry.lock] : []));
  const labels = agentLabels(held);
  return new Map(
    held.map((lock, i) => [lock.claimId, labels[i] ?? lock.agent]),
  );
}

/** One line per lock: task, holder (`agent@host` where names repeat across runners), state, lease and heartbeat. */
export function formatLocks(locks: readonly LockState[]): string {
  if (locks.length === 0) return "no locks\n";
  const labels = holderLabels(locks);
  return locks
    .map((lock) => {
      if (!lock.entry.ok)
        return `${lock.entry.file}  MALFORMED (line ${lock.entry.line ?? 1}): ${lock.entry.problem}`;
      const l = lock.entry.lock;
      const who = labels.get(l.claimId) ?? l.agent;
      return `${l.task.padEnd(20)} ${who.padEnd(14)} ${(lock.lease?.state ?? "").padEnd(8)} lease until ${l.leaseUntil}  last heartbeat ${lock.lastHeartbeat ?? "none"}`;
    })
    .join("\n")
    .concat("\n");
}
