/**
 * The deploy files (issue 24): the Kubernetes manifests parse, run `gitswarm run` on an emptyDir
 * clone with keys from Secrets only, and the GPU runner requests nvidia.com/gpu; the systemd unit
 * passes `systemd-analyze verify` where systemd is installed; the Dockerfile bakes in no secret.
 */
import { access, copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runProcess, decode } from "../../coordination/base/spawn.js";
import { makeTempDir } from "../support/temp-dir.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ANALYZE = "/usr/bin/systemd-analyze";
const hasAnalyze = await access(ANALYZE).then(
  () => true,
  () => false,
);

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("deploy/kubernetes/runners.yaml", () => {
  it("runs gitswarm on an emptyDir clone, keys from Secrets, the GPU runner asks for a GPU", async () => {
    const text = await readFile(
      path.join(ROOT, "deploy/kubernetes/runners.yaml"),
      "utf8",
    );
    const docs = parseAllDocuments(text).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS() as Doc;
    });
    expect(docs.map((d) => d.kind)).toEqual(["ConfigMap", "Job", "Job"]);
    for (const job of docs.filter((d) => d.kind === "Job")) {
      expect(job.apiVersion).toBe("batch/v1");
      expect(job.spec.completionMode).toBe("Indexed");
      const pod = job.spec.template.spec;
      const runner = pod.containers[0];
      expect(runner.args).toEqual(["run", "--repo", "/work/repo"]);
      expect(runner.envFrom).toContainEqual({
        secretRef: { name: "gitswarm-keys" },
      });
      expect(runner.env ?? []).toEqual([]); // no literal values: keys only from the Secret
      expect(pod.volumes).toContainEqual({ name: "work", emptyDir: {} });
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
  it("is Node 22 slim with git, the compiled CLI, and no secret", async () => {
    const text = await readFile(path.join(ROOT, "Dockerfile"), "utf8");
    expect(text).toMatch(/^FROM node:22-slim$/m);
    expect(text).toContain("git openssh-client");
    expect(text).toContain("npm run build");
    expect(text).not.toMatch(/API_KEY=|BEGIN [A-Z ]*PRIVATE KEY/);
  });
});

describe.skipIf(!hasAnalyze)(
  `deploy/systemd${hasAnalyze ? "" : ` (skipped: no ${ANALYZE})`}`,
  () => {
    it("systemd-analyze verify accepts an instance of the runner unit", async () => {
      const dir = await makeTempDir("gitswarm-unit-");
      const unit = path.join(dir, "gitswarm-runner@demo.service");
      await copyFile(
        path.join(ROOT, "deploy/systemd/gitswarm-runner@.service"),
        unit,
      );
      // The unit names the installed CLI; verify against this checkout's.
      const text = await readFile(unit, "utf8");
      await writeFile(
        unit,
        text.replace(
          "/usr/local/bin/gitswarm",
          path.join(ROOT, "bin/gitswarm"),
        ),
      );
      const result = await runProcess(ANALYZE, ["verify", unit], {
        cwd: dir,
        timeoutMs: 60_000,
      });
      expect(decode(result.stderr)).toBe("");
      expect(result.exitCode).toBe(0);
    });
  },
);
