/**
 * Issue 23: the CI workflow `gitswarm init` writes never runs an unpinned package. Its Oracle step's
 * shell runs here, in a temp repo, with bash: the repo's own gitswarm of the right version runs; a
 * wrong version, or none and no source, fails loudly without running anything; a source is installed
 * (without scripts, into a temp prefix) and checked. And `init` pins gitswarm in a package.json.
 */
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decode, runProcess } from "../../coordination/base/spawn.js";
import { GITSWARM_VERSION } from "../../coordination/base/version.js";
import { ciWorkflowYaml } from "../../oracle/ci-workflow.js";
import { pinGitswarm } from "../../runner/init-repo.js";
import { makeTempDir } from "../support/temp-dir.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** The Oracle step's script, as GitHub would run it. */
function oracleScript(): string {
  const workflow = parse(ciWorkflowYaml()) as {
    jobs: { oracle: { steps: { name?: string; run?: string }[] } };
  };
  const step = workflow.jobs.oracle.steps.find((s) => s.name === "Oracle");
  if (step?.run === undefined) throw new Error("no Oracle step");
  return step.run;
}

/** A fake gitswarm executable: answers --version with `version`, records any other call. */
function fakeGitswarm(version: string): string {
  return `#!/bin/sh\nif [ "$1" = --version ]; then echo "gitswarm ${version}"; exit 0; fi\necho "$*" > "$PWD/ran.txt"\n`;
}

async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await makeTempDir("ci-shell-");
  dirs.push(dir);
  await writeFile(
    path.join(dir, "gitswarm.config.yaml"),
    "oracle:\n  cases: oracle/cases\n",
  );
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    if (/(^|\/)\.?bin\//.test(name)) await chmod(file, 0o755);
  }
  return dir;
}

async function runStep(dir: string, env: Record<string, string> = {}) {
  const result = await runProcess("bash", ["-e", "-c", oracleScript()], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      RUNNER_TEMP: path.join(dir, "runner-temp"),
      npm_config_offline: "true",
      npm_config_cache: path.join(dir, "npm-cache"),
      GITSWARM_SOURCE: "",
      ...env,
    },
    timeoutMs: 120_000,
  });
  const ran = await readFile(path.join(dir, "ran.txt"), "utf8").catch(
    () => undefined,
  );
  return {
    code: result.exitCode,
    out: decode(result.stdout) + decode(result.stderr),
    ran,
  };
}

describe("the generated workflow's Oracle step", () => {
  it("never fetches gitswarm by name unpinned", () => {
    expect(ciWorkflowYaml()).not.toMatch(/npx --yes|npx -y /);
    expect(ciWorkflowYaml()).toContain(
      `GITSWARM_SOURCE: 'gitswarm@${GITSWARM_VERSION}'`,
    );
  });

  it("runs the repo's own gitswarm when it is the version that wrote the workflow", async () => {
    const dir = await repoWith({
      "node_modules/.bin/gitswarm": fakeGitswarm(GITSWARM_VERSION),
    });
    const r = await runStep(dir);
    expect(r.code, r.out).toBe(0);
    expect(r.ran).toBe(
      "oracle --recording only --ratchet --junit oracle-junit.xml\n",
    );
  });

  it("refuses another version, and runs nothing", async () => {
    const dir = await repoWith({
      "node_modules/.bin/gitswarm": fakeGitswarm("6.6.6"),
    });
    const r = await runStep(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`::error::expected gitswarm ${GITSWARM_VERSION}`);
    expect(r.ran).toBeUndefined();
  });

  it("without a pinned gitswarm or a source, fails saying how to pin it", async () => {
    const dir = await repoWith({});
    const r = await runStep(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`npm i -D gitswarm@${GITSWARM_VERSION}`);
    expect(r.ran).toBeUndefined();
  });

  it("installs the source it names (no install scripts), checks its version, then runs it", async () => {
    const dir = await repoWith({
      "pkg/package.json": JSON.stringify({
        name: "gitswarm",
        version: GITSWARM_VERSION,
        bin: { gitswarm: "bin/gitswarm" },
        scripts: { postinstall: "touch ../../postinstall-ran" },
      }),
      "pkg/bin/gitswarm": fakeGitswarm(GITSWARM_VERSION),
    });
    const r = await runStep(dir, { GITSWARM_SOURCE: path.join(dir, "pkg") });
    expect(r.code, r.out).toBe(0);
    expect(r.ran).toMatch(/^oracle --recording only/);
  });
});

describe("init pins gitswarm where a package.json exists", () => {
  it("adds the exact version to devDependencies once, keeping the rest", async () => {
    const dir = await makeTempDir("ci-pin-");
    dirs.push(dir);
    const file = path.join(dir, "package.json");
    await writeFile(
      file,
      `{\n    "name": "x",\n    "devDependencies": { "vitest": "^4.0.0" }\n}\n`,
    );
    expect(await pinGitswarm(file)).toBe(true);
    const pkg = JSON.parse(await readFile(file, "utf8")) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies).toEqual({
      vitest: "^4.0.0",
      gitswarm: GITSWARM_VERSION,
    });
    expect(await readFile(file, "utf8")).toMatch(/^ {4}"name"/m);
    expect(await pinGitswarm(file)).toBe(false);
    expect(await pinGitswarm(path.join(dir, "missing.json"))).toBe(false);
  });

  it("keeps gitswarm's own version in step with package.json", async () => {
    const pkg = JSON.parse(
      await readFile(new URL("../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(GITSWARM_VERSION).toBe(pkg.version);
  });
});
