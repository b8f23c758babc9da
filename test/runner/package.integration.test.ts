/**
 * Issue 14, "a real build": the package a user installs. From a copy of this checkout, `npm pack`
 * (which builds dist/ through `prepack`) → `npm i -g --prefix TMP ./gitswarm-*.tgz` → the copy is
 * deleted → in an empty git repo elsewhere, `gitswarm init && gitswarm add a "A" && gitswarm
 * status` work from the compiled code alone. The copy keeps the repository's own dist/ untouched
 * while other tests run it. Dependencies come from npm's cache (`npm ci` filled it), or the registry.
 */
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, runProcess } from "../../coordination/base/spawn.js";

const PROJECT_DIR = fileURLToPath(new URL("../..", import.meta.url));
const IDENTITY = {
  GIT_AUTHOR_NAME: "Package Test",
  GIT_AUTHOR_EMAIL: "package@gitswarm.invalid",
  GIT_COMMITTER_NAME: "Package Test",
  GIT_COMMITTER_EMAIL: "package@gitswarm.invalid",
};

async function run(file: string, args: string[], cwd: string, env = {}) {
  const result = await runProcess(file, args, {
    cwd,
    env: { ...IDENTITY, ...env },
    timeoutMs: 300_000,
  });
  const output = decode(result.stdout) + decode(result.stderr);
  return { code: result.exitCode, stdout: decode(result.stdout), output };
}

/** Copies the checkout's tracked and new files (what a fresh clone plus local edits would hold). */
async function copyCheckout(into: string): Promise<void> {
  const listed = await run(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    PROJECT_DIR,
  );
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    await mkdir(path.dirname(path.join(into, file)), { recursive: true });
    // A file listed but deleted in the working tree is simply not part of the copy.
    await copyFile(path.join(PROJECT_DIR, file), path.join(into, file)).catch(
      () => undefined,
    );
  }
  await symlink(
    path.join(PROJECT_DIR, "node_modules"),
    path.join(into, "node_modules"),
  );
}

describe("the npm package, installed globally", () => {
  let tmp = "";
  let packed: { files: { path: string }[] }[] = [];
  let gitswarm = "";
  let repo = "";
  let installLog = "";

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), "gitswarm-package-"));
    const source = path.join(tmp, "source");
    await copyCheckout(source);
    const pack = await run(
      "npm",
      ["pack", "--json", "--pack-destination", tmp],
      source,
    );
    if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.output}`);
    packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as {
      files: { path: string }[];
    }[];
    await rm(source, { recursive: true, force: true });
    const prefix = path.join(tmp, "prefix");
    const install = await run(
      "npm",
      [
        "install",
        "--global",
        "--prefix",
        prefix,
        "--prefer-offline",
        "--no-audit",
        "--no-fund",
        path.join(tmp, "gitswarm-0.1.0.tgz"),
      ],
      tmp,
    );
    if (install.code !== 0)
      throw new Error(`npm install -g failed:\n${install.output}`);
    installLog = install.output;
    gitswarm = path.join(prefix, "bin", "gitswarm");
    repo = path.join(tmp, "empty-repo");
    await mkdir(repo);
    await run("git", ["init", "--quiet", "--initial-branch=main"], repo);
  }, 600_000);

  afterAll(async () => {
    if (tmp !== "") await rm(tmp, { recursive: true, force: true });
  });

  it("ships the compiled code, the demo and the types, not the TypeScript sources", () => {
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain("bin/gitswarm");
    expect(files).toContain("dist/runner/cli/entry.js");
    expect(files).toContain("dist/runner/agent/agent-process.js");
    expect(files).toContain("dist/runner/cli/commands/help-index.json");
    expect(files).toContain("dist/agents/index.d.ts");
    // The browser bundles: uPlot is a devDependency, so a global install has only these.
    expect(files).toContain("dist/runner/dashboard/page/dashboard.bundle.js");
    expect(files).toContain(
      "dist/scripts/analytics/render/report-charts.bundle.js",
    );
    expect(files).toContain("runner/demo/PROGRESS.md");
    expect(
      files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
    ).toEqual([]);
    expect(files.filter((f) => f.includes("node_modules/"))).toEqual([]);
  });

  it("installs with no warning of its own: no install script to allow, no engine mismatch", () => {
    // npm 11 lists every install script not yet allowed; gitswarm's build is prepack, not prepare.
    expect(installLog).not.toMatch(/gitswarm@[\d.]+ \(/);
    expect(installLog).not.toMatch(/EBADENGINE/);
  });

  it("init, add and status work in an empty repo, far from any source tree", async () => {
    const init = await run(gitswarm, ["init"], repo);
    expect(init.code, init.output).toBe(0);
    const add = await run(gitswarm, ["add", "a", "A"], repo);
    expect(add.code, add.output).toBe(0);
    const status = await run(gitswarm, ["status"], repo);
    expect(status.code, status.output).toBe(0);
    expect(status.output).toMatch(/\ba\b/);
    const help = await run(gitswarm, ["--help"], repo);
    expect(help.code, help.output).toBe(0);
    expect(help.output).toMatch(/claim/);
  });
});
