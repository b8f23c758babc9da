/** The files `gitswarm init` scaffolds. */

export const PROGRESS_TEMPLATE = `# Progress

The swarm's shared state. Humans and agents both edit this file, also while the swarm runs.

Each task is a checklist item \`- [ ] task-id: Title\` (ids: lowercase letters, digits, . _ -).
Nested items add metadata: \`needs: other-id, another\`, \`tags: gpu, frontend\`, \`run: command\`
(a job task, with \`gpu: 2\`, \`time-limit: 6h\`, \`accept: loss < 0.5\`, \`artifacts: out/*.bin\`),
\`note: free text\`, \`blocked: reason\`. Document order is priority.
Add tasks with \`gitswarm add ID "Title" [--needs a,b] [--tag t]\` or by editing this file.

## Tasks
`;

export const DESIGN_TEMPLATE = `# Design

What this project is and how it is built. Agents read this file before every task; keep it true.
`;

export const CONFIG_TEMPLATE = `# gitswarm configuration. Every key is optional; the comments show the defaults.

# hub:
#   url: ../my-hub.git      # any git remote; default: a bare hub in .gitswarm/hub.git
#   remote: origin
#   branch: main
# lease: 10m                # a claim without heartbeats for this long may be broken
# maxAttempts: 3            # failed attempts before a task is marked blocked
# gpus: [0, 1]              # GPUs job tasks may use (a count, 0 = none); default: what nvidia-smi lists
# jobs:
#   checkpointDir: .gitswarm/jobs   # run dirs (checkpoints, metrics), outside every clone
#   stopGrace: 30s                  # SIGTERM, this long to checkpoint, then SIGKILL

# agents:                   # or on the command line: --agents claude-code:2,gemini-cli:1
#   - name: claude
#     kind: anthropic       # anthropic | openai | gemini | claude-code | codex | gemini-cli | aider | command
#     model: claude-sonnet-4-5
#     count: 2

# oracle:                   # differential tests: see oracle/README.md
#   cases: oracle/cases/**/*.sql
#   reference: sqlite3 -batch < {case}
#   candidate: node candidate.mjs {case}
#   compare: exact
`;

export const ORACLE_README = `# Oracle

Differential tests: each case runs through a reference command and the candidate (what the swarm
builds), and their outputs are compared. Configure the \`oracle:\` section of gitswarm.config.yaml,
then \`gitswarm oracle\` runs it, \`gitswarm oracle record\` stores the reference outputs in
oracle/expected/ so CI needs no reference binary, and oracle/baseline.json is the ratchet: a merge
may not turn a passing case into a failing one.
`;
