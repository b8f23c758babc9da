/**
 * A long-lived agent process for race and crash tests: one OS process per clone, driven by lines on
 * stdin, answering one JSON line per command on stdout. Starting a process per claim would spend
 * the test's time loading modules instead of racing.
 *
 *   fetch            → {"ok":true}
 *   claim TASK       → the ClaimResult
 *   loop             → claims and finishes claimable tasks until none is left: {"done":[ids]}
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { claimTask } from '../../coordination/claim.js';
import { finishTask } from '../../coordination/finish.js';
import { readSwarmState } from '../../coordination/swarm-state.js';
import { agentIdentity, fetchMain, openWorkspace } from '../../coordination/workspace.js';

const [dir = '', agent = ''] = process.argv.slice(2);
const ws = openWorkspace(dir, { identity: agentIdentity(agent) });

async function loop(): Promise<string[]> {
  const done: string[] = [];
  for (;;) {
    const state = await readSwarmState(ws, { leases: false });
    if (state.tasks.every((t) => t.status === 'done')) return done;
    const candidates = state.tasks.filter((t) => t.claimable);
    const pick = candidates[Math.floor(Math.random() * candidates.length)];
    if (pick === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
      continue;
    }
    const claim = await claimTask(ws, { taskId: pick.task.id, agent, leaseMs: 60_000 });
    if (claim.outcome !== 'won') continue;
    // The work: one file, committed on the work branch started at the claim.
    await ws.git.run(['checkout', '--quiet', '-B', claim.lock.branch, claim.commit]);
    await mkdir(path.join(dir, 'work'), { recursive: true });
    await writeFile(path.join(dir, 'work', `${pick.task.id}.txt`), `${pick.task.id} by ${agent}\n`);
    await ws.git.run(['add', 'work']);
    await ws.git.run(['commit', '--quiet', '-m', `work on ${pick.task.id}`]);
    const end = await finishTask(ws, { taskId: pick.task.id, agent, claimId: claim.lock.claimId, work: 'HEAD' });
    if (end.outcome === 'landed') done.push(pick.task.id);
    else throw new Error(`${agent} could not finish ${pick.task.id}: ${JSON.stringify(end)}`);
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, arg = ''] = line.trim().split(/\s+/);
  try {
    if (command === 'fetch') {
      await fetchMain(ws);
      process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
    } else if (command === 'claim') {
      process.stdout.write(`${JSON.stringify(await claimTask(ws, { taskId: arg, agent, leaseMs: 60_000 }))}\n`);
    } else if (command === 'loop') {
      process.stdout.write(`${JSON.stringify({ done: await loop() })}\n`);
    }
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
  }
}
