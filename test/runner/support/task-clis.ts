/**
 * Fake vendor coding CLIs for whole-swarm runs: executables named `claude`, `codex`, `gemini` and
 * `aider` in a temp folder to put first on PATH. Each answers `--version` (the preflight), reads the
 * task id from its prompt argument, writes `impl/<id>.txt` in its cwd (the agent's clone) as the
 * task's oracle case expects, and prints a success in its vendor's real output format.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const COMMON = `
const fs = require('node:fs');
if (process.argv[2] === '--version') { console.log(NAME + ' 9.9.9 (fake)'); process.exit(0); }
const prompt = process.argv.slice(2).find((a) => /# Task [a-z0-9]/.test(a)) || '';
const id = (/# Task ([a-z0-9][a-z0-9._-]*):/.exec(prompt) || [])[1];
if (!id) { process.stderr.write('no task id in the prompt\\n'); process.exit(1); }
fs.mkdirSync('impl', { recursive: true });
fs.writeFileSync('impl/' + id + '.txt', 'impl ' + id + '\\n');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
`;

const OUTPUT: Record<string, string> = {
  claude: `
out({ type: 'system', subtype: 'init', cwd: process.cwd(), session_id: 's1', model: 'claude-sonnet-4-6', tools: ['Write'] });
out({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, result: 'Wrote impl/' + id + '.txt', session_id: 's1', total_cost_usd: 0.002, usage: { input_tokens: 300, output_tokens: 40 } });
`,
  codex: `
out({ type: 'thread.started', thread_id: 't1' });
out({ type: 'turn.started' });
out({ type: 'item.completed', item: { id: 'item_0', type: 'file_change', changes: [{ path: 'impl/' + id + '.txt', kind: 'add' }], status: 'completed' } });
out({ type: 'item.completed', item: { id: 'item_1', type: 'agent_message', text: 'Wrote the file.' } });
out({ type: 'turn.completed', usage: { input_tokens: 300, cached_input_tokens: 0, output_tokens: 40 } });
`,
  gemini: `
out({ response: 'Wrote the file.', stats: { models: { 'gemini-2.5-pro': { api: { totalRequests: 1, totalErrors: 0 }, tokens: { prompt: 300, candidates: 40, total: 340, cached: 0, thoughts: 0 } } } } });
`,
  aider: `
console.log('Applied edit to impl/' + id + '.txt');
console.log('Tokens: 300 sent, 40 received. Cost: $0.0020 message, $0.0020 session.');
`,
};

/** Writes the fake CLIs into a fresh temp folder and returns it (to put first on PATH). */
export async function installTaskClis(
  names: string[] = Object.keys(OUTPUT),
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-task-clis-"));
  for (const name of names) {
    // The absolute node path: the agents run these with a scrubbed env whose PATH may lack node.
    const body = `#!${process.execPath}\n(() => {\nconst NAME = ${JSON.stringify(name)};\n${COMMON}\n${OUTPUT[name] ?? ""}\n})();\n`;
    await writeFile(path.join(dir, name), body, { mode: 0o755 });
  }
  return dir;
}
