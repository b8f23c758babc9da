/**
 * What a finished swarm left on the hub's main (and its task refs' claims), read back from git and checked against the
 * guarantees a user relies on: every commit is a gitswarm action with trailers (or one of the
 * user's own), each task done exactly once and never claimed before its dependencies were done,
 * and the oracle baseline (the ratchet) only ever grew.
 */
import { Git } from "../../../coordination/git/git.js";
import {
  readTrailers,
  SwarmActions,
} from "../../../coordination/git/trailers.js";
import type { RepoTask } from "./swarm-repo.js";

export interface HubCommit {
  sha: string;
  parents: string[];
  subject: string;
  action?: string;
  task?: string;
}

/**
 * The hub's main, oldest commit first, with each claim from the task refs placed right after the
 * main commit it decided on (its `Swarm-Base`): a claim then comes after a dependency's done-commit
 * exactly when the claimer saw that dependency done.
 */
export async function readHubMain(
  hubDir: string,
  branch = "main",
): Promise<HubCommit[]> {
  const git = new Git(hubDir);
  const main = parseLog(
    await git.run(["log", "--reverse", "--format=%H%x1f%P%x1f%B%x1e", branch]),
  );
  const claims = parseLog(
    await git.run([
      "log",
      "--reverse",
      "--format=%H%x1f%P%x1f%B%x1e",
      "--glob=refs/swarm/tasks/*",
    ]),
  ).filter((c) => c.action === "claim");
  const byBase = new Map<string, HubCommit[]>();
  for (const claim of claims)
    byBase.set(claim.base ?? "", [
      ...(byBase.get(claim.base ?? "") ?? []),
      claim,
    ]);
  const onMain = new Set(main.map((c) => c.sha));
  // A claim whose base is not on main (rewound by a human) cannot be ordered: it goes last.
  const unplaced = claims.filter((c) => !onMain.has(c.base ?? ""));
  return [
    ...main.flatMap((c) => [c, ...(byBase.get(c.sha) ?? [])]),
    ...unplaced,
  ];
}

function parseLog(out: string): (HubCommit & { base?: string })[] {
  return out
    .split("\x1e")
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.trim() !== "")
    .map((record) => {
      const [sha = "", parents = "", message = ""] = record.split("\x1f");
      const trailers = readTrailers(message);
      return {
        sha,
        parents: parents.split(" ").filter(Boolean),
        subject: message.split("\n")[0] ?? "",
        action: trailers.get("Swarm-Action"),
        task: trailers.get("Swarm-Task"),
        base: trailers.get("Swarm-Base"),
      };
    });
}

/** The ratchet's passing cases at each done-commit, in order. */
export async function baselinesAtDone(
  hubDir: string,
  history: HubCommit[],
): Promise<{ sha: string; passing: string[] }[]> {
  const git = new Git(hubDir);
  const out: { sha: string; passing: string[] }[] = [];
  for (const commit of history.filter((c) => c.action === "done")) {
    const text = await git.run(["show", `${commit.sha}:oracle/baseline.json`]);
    out.push({
      sha: commit.sha,
      passing: (JSON.parse(text) as { passing: string[] }).passing,
    });
  }
  return out;
}

/**
 * Every broken guarantee, as a readable line (empty when all hold). Pure. `userCommits` are the
 * commits the user made themselves, which carry no trailers.
 */
export function historyProblems(
  history: HubCommit[],
  tasks: RepoTask[],
  userCommits: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const actions = new Set<string>(SwarmActions);
  history.forEach((c) => {
    if (c.parents.length > 1)
      problems.push(
        `${c.sha.slice(0, 8)} "${c.subject}" is a merge commit on main`,
      );
    if (userCommits.has(c.sha)) return;
    if (c.action === undefined || !actions.has(c.action))
      problems.push(
        `${c.sha.slice(0, 8)} "${c.subject}" has no Swarm-Action trailer`,
      );
  });
  const doneAt = new Map<string, number>();
  for (const task of tasks) {
    const dones = history
      .map((c, i) => [c, i] as const)
      .filter(([c]) => c.action === "done" && c.task === task.id);
    if (dones.length !== 1)
      problems.push(
        `${task.id} has ${dones.length} done-commits, not exactly one`,
      );
    if (dones[0] !== undefined) doneAt.set(task.id, dones[0][1]);
  }
  for (const task of tasks) {
    history.forEach((c, i) => {
      if (c.action !== "claim" || c.task !== task.id) return;
      for (const need of task.needs) {
        const at = doneAt.get(need);
        if (at === undefined || at > i)
          problems.push(
            `${task.id} was claimed (${c.sha.slice(0, 8)}) before its dependency ${need} was done`,
          );
      }
    });
  }
  return problems;
}

/** Cases that left the baseline between consecutive done-commits (the ratchet going down). Pure. */
export function ratchetDrops(
  baselines: { sha: string; passing: string[] }[],
): string[] {
  const drops: string[] = [];
  for (let i = 1; i < baselines.length; i++) {
    const now = new Set(baselines[i]?.passing);
    for (const id of baselines[i - 1]?.passing ?? [])
      if (!now.has(id))
        drops.push(
          `${id} left the baseline at ${baselines[i]?.sha.slice(0, 8)}`,
        );
  }
  return drops;
}
