/**
 * Test fixtures for the oracle: a swarm repo in a temp dir with cases and small fake candidates
 * (shell scripts that pass, fail, hang, crash, flood or print invalid UTF-8), and a way to run the
 * real CLI in-process and to wait for processes to be gone.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { main } from "../../runner/cli/main.js";

const created: string[] = [];

/** Removes every repo this module created (call from `afterAll`). */
export async function removeRepos(): Promise<void> {
  await Promise.all(
    created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })),
  );
}

/** Creates a temp repo holding `files` (paths relative to it). */
export async function makeRepo(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "oracle-it-"));
  created.push(dir);
  await mkdir(path.join(dir, "pids"));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/**
 * The fake candidate: the first line of a case says how to behave. `ok:X` prints X, `wrong:X`
 * prints something else, the others misbehave; a misbehaving one writes its pid to pids/NAME.pid.
 * Every run appends to runs.log, so tests can count real runs.
 */
export const FAKE_CANDIDATE = `#!/bin/sh
name=$(basename "$1")
echo "$name" >> runs.log
kind=$(head -n 1 "$1")
case "$kind" in
  ok:*) echo "\${kind#ok:}" ;;
  wrong:*) echo "not \${kind#wrong:}" ;;
  hang) echo $$ > "pids/$name.pid"; exec sleep 1000 ;;
  hang-ignoring-term) trap '' TERM; echo $$ > "pids/$name.pid"; while :; do sleep 1; done ;;
  hang-grandchild) sleep 1000 & echo $! > "pids/$name.pid"; wait ;;
  crash) echo "about to crash" >&2; kill -SEGV $$ ;;
  flood) echo $$ > "pids/$name.pid"; exec head -c 104857600 /dev/zero ;;
  bad-utf8) printf 'ab\\377c\\n' ;;
  exit3:*) echo "\${kind#exit3:}"; exit 3 ;;
esac
`;

/** The fake reference: prints what a correct candidate prints (the text after the first colon). */
export const FAKE_REFERENCE = `#!/bin/sh
kind=$(head -n 1 "$1")
echo "\${kind#*:}"
`;

/** A repo with the fake candidate and reference and the given cases (name → first line). */
export async function makeFakeRepo(
  cases: Record<string, string>,
  config = "",
): Promise<string> {
  const files: Record<string, string> = {
    "candidate.sh": FAKE_CANDIDATE,
    "reference.sh": FAKE_REFERENCE,
    "gitswarm.config.yaml": `oracle:\n  cases: cases/*.case\n  reference: sh reference.sh {case}\n  candidate: sh candidate.sh {case}\n  timeout: 1s\n  jobs: 2\n${config}`,
  };
  for (const [name, kind] of Object.entries(cases))
    files[`cases/${name}.case`] = `${kind}\n`;
  return makeRepo(files);
}

/** Runs `gitswarm ARGS` in-process through the real CLI entry and captures its output. */
export async function runCli(
  args: string[],
  cwd = process.cwd(),
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    env: process.env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    isTty: false,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/** Reads the pids the fake candidate wrote. */
export async function readPids(
  repo: string,
  names: string[],
): Promise<number[]> {
  return Promise.all(
    names.map(async (name) =>
      Number(
        (
          await readFile(path.join(repo, "pids", `${name}.case.pid`), "utf8")
        ).trim(),
      ),
    ),
  );
}

/** True while a process with this pid exists (zombies of other parents count as gone soon after). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until none of `pids` is alive or the deadline passes; returns those still alive. */
export async function waitUntilGone(
  pids: number[],
  deadlineMs = 5000,
): Promise<number[]> {
  const until = Date.now() + deadlineMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = alive.filter(isAlive);
  }
  return alive;
}
