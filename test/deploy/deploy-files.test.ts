/**
 * The deploy files (issue 24). The Kubernetes manifests are read as kubectl reads them (YAML 1.1)
 * and every object is built and validated as its `kubernetes-models` model, with no field the
 * API's schema lacks (support/k8s-models.ts); then what gitswarm needs of them: `gitswarm run` on
 * an emptyDir clone, keys from Secrets only, the GPU runner asking for nvidia.com/gpu. The
 * Dockerfile is Node 22 slim with git and the compiled CLI, runs as a user, and bakes in no secret.
 * The systemd unit passes `systemd-analyze verify` where systemd is installed (else skipped).
 */
import { access, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runProcess, decode } from "../../coordination/base/spawn.js";
import { isSecretName } from "../../coordination/base/secret-env.js";
import { makeTempDir } from "../support/temp-dir.js";
import { modelFor, unknownFields } from "./support/k8s-models.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ANALYZE = "/usr/bin/systemd-analyze";
const hasAnalyze = await access(ANALYZE).then(
  () => true,
  () => false,
);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The manifest's objects, parsed as kubectl parses them (YAML 1.1: `0400` is octal). */
async function manifest(): Promise<{ text: string; docs: Doc[] }> {
  const text = await readFile(
    path.join(ROOT, "deploy/kubernetes/runners.yaml"),
    "utf8",
  );
  const docs = parseAllDocuments(text, { version: "1.1" }).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Doc;
  });
  return { text, docs };
}

/** What the schema says of an object: its validation error, and fields the kind does not have. */
function schemaFindings(doc: Doc): { error?: string; unknown: string[] } {
  const model = modelFor(doc);
  let error: string | undefined;
  try {
    model.check(doc);
  } catch (e) {
    error = (e as Error).message;
  }
  return {
    ...(error === undefined ? {} : { error }),
    unknown: unknownFields(model.schema, doc),
  };
}

describe("deploy/kubernetes/runners.yaml", () => {
  it("every object fits its kubernetes-models schema, with no field the schema lacks", async () => {
    const { docs } = await manifest();
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([
      "v1 ConfigMap",
      "batch/v1 Job",
      "batch/v1 Job",
    ]);
    for (const doc of docs)
      expect(schemaFindings(doc), doc.metadata?.name).toEqual({ unknown: [] });
  });

  it("the schema check fails a misspelled field, a wrong type and a missing required field", async () => {
    const job = structuredClone((await manifest()).docs[1] ?? {});
    job.spec.completionMod = "Indexed";
    job.spec.template.spec.containers[0].resources.request = { cpu: "1" };
    expect(schemaFindings(job).unknown).toEqual([
      "/spec/completionMod",
      "/spec/template/spec/containers/0/resources/request",
    ]);
    const typed = structuredClone((await manifest()).docs[1] ?? {});
    typed.spec.completions = "three";
    expect(schemaFindings(typed).error).toMatch(/completions must be integer/);
    const bare = structuredClone((await manifest()).docs[2] ?? {});
    delete bare.spec.template.spec.containers[0].name;
    expect(schemaFindings(bare).error).toMatch(/name/);
  });

  it("runs gitswarm on an emptyDir clone, keys from Secrets, the GPU runner asks for a GPU", async () => {
    const { text, docs } = await manifest();
    for (const job of docs.filter((d) => d.kind === "Job")) {
      expect(job.spec.completionMode).toBe("Indexed");
      const pod = job.spec.template.spec;
      const runner = pod.containers[0];
      expect(runner.args).toEqual(["run", "--repo", "/work/repo"]);
      expect(runner.envFrom).toContainEqual({
        secretRef: { name: "gitswarm-keys" },
      });
      expect(runner.env ?? []).toEqual([]); // no literal values: keys only from the Secret
      expect(pod.volumes).toContainEqual({ name: "work", emptyDir: {} });
      // The hub's ssh key: owner-read only, as kubectl reads the octal 0400.
      const sshKey = pod.volumes.find((v: Doc) => v.name === "hub-ssh");
      expect(sshKey.secret.defaultMode).toBe(0o400);
      expect(runner.resources.requests.memory).toMatch(/Gi$/);
    }
    const gpu = docs.find((d) => d.metadata.name === "gitswarm-gpu-runner");
    expect(
      gpu?.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"],
    ).toBe(1);
    expect(text).not.toMatch(/sk-[A-Za-z0-9]{10,}|BEGIN [A-Z ]*PRIVATE KEY/);
  });
});

describe("Dockerfile", () => {
  it("is Node 22 slim with git, the compiled CLI, a non-root user, and no secret", async () => {
    const text = await readFile(path.join(ROOT, "Dockerfile"), "utf8");
    // The image is its last stage: what it starts from, installs and copies.
    const stages = text.split(/^FROM /m);
    const final = `FROM ${stages[stages.length - 1] ?? ""}`;
    expect(final).toMatch(/^FROM node:22-slim$/m);
    expect(final).toMatch(/apt-get install [^\n]*\bgit\b/);
    expect(final).toMatch(/^COPY --from=build \/src\/dist \.\/dist$/m);
    expect(final).toMatch(/^ENTRYPOINT \["gitswarm"\]$/m);
    expect(final).toMatch(/^USER (?!root\b)\S+$/m);
    // The build: the compiled CLI is built once the sources are in; npm ci before them only
    // while the package has no install-time build (a `prepare` would run it without sources).
    const build = stages.find((st) => st.includes(" AS build")) ?? "";
    expect(build).toMatch(/^COPY \. \.$[^]*^RUN npm run build\b/m);
    const scripts = (
      JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    if (scripts.prepare !== undefined || scripts.install !== undefined)
      expect(build).toMatch(/^COPY \. \.$[^]*^RUN npm ci\b/m);
    expect(final).toMatch(/apt-get install [^\n]*\bbubblewrap\b/);
    // No secret set in the image: no ENV or ARG named like a key, no key material.
    for (const m of text.matchAll(/^(?:ENV|ARG)\s+([A-Za-z_][A-Za-z0-9_]*)/gm))
      expect(isSecretName(m[1] ?? ""), m[0]).toBe(false);
    expect(text).not.toMatch(/API_KEY=|BEGIN [A-Z ]*PRIVATE KEY/);
    // The build context leaves out local state a `COPY . .` would carry in: the user's checkout's
    // git config (a hub URL with a token), .gitswarm/ (clones, logs), .env files, node_modules.
    const ignored = (await readFile(path.join(ROOT, ".dockerignore"), "utf8"))
      .split("\n")
      .map((l) => l.trim());
    for (const entry of [".git", ".gitswarm", ".env", "node_modules"])
      expect(ignored).toContain(entry);
  });
});

/** `systemd-analyze verify` on an instance of the runner unit, its text passed through `edit`. */
async function verifyUnit(
  edit: (text: string) => string = (t) => t,
): Promise<{ code: number | null; stderr: string }> {
  const dir = await makeTempDir("gitswarm-unit-");
  const unit = path.join(dir, "gitswarm-runner@demo.service");
  const text = await readFile(
    path.join(ROOT, "deploy/systemd/gitswarm-runner@.service"),
    "utf8",
  );
  // The unit names the installed CLI; verify against this checkout's.
  await writeFile(
    unit,
    edit(
      text.replace("/usr/local/bin/gitswarm", path.join(ROOT, "bin/gitswarm")),
    ),
  );
  const result = await runProcess(ANALYZE, ["verify", unit], {
    cwd: dir,
    timeoutMs: 60_000,
  });
  return { code: result.exitCode, stderr: decode(result.stderr) };
}

describe.skipIf(!hasAnalyze)(
  `deploy/systemd${hasAnalyze ? "" : ` (skipped: no ${ANALYZE}, systemd is not installed)`}`,
  () => {
    it("systemd-analyze verify accepts an instance of the runner unit, and would name a misspelled key", async () => {
      expect(await verifyUnit()).toEqual({ code: 0, stderr: "" });
      const typo = await verifyUnit((t) =>
        t.replace("RestartSec=", "RestartSecs="),
      );
      expect(typo.stderr).toMatch(/Unknown key[^\n]*RestartSecs/);
    });
  },
);
