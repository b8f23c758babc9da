import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { makeTempDir } from "../support/temp-dir.js";
import { describe, expect, it } from "vitest";
import {
  CI_WORKFLOW_PATH,
  ciWorkflowYaml,
  writeCiWorkflow,
} from "../../oracle/ci-workflow.js";

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}

describe("the CI workflow", () => {
  it("runs the oracle against the recording on each push and publishes the JUnit report", async () => {
    const workflow = parse(ciWorkflowYaml()) as {
      on: Record<string, unknown>;
      jobs: { oracle: { steps: Step[] } };
    };
    expect(Object.keys(workflow.on)).toContain("push");
    const steps = workflow.jobs.oracle.steps;
    const oracle = steps.find((s) => s.run?.includes(" oracle "));
    expect(oracle?.run).toContain(
      '\n"$gitswarm" oracle --recording only --ratchet --junit oracle-junit.xml\n',
    );
    expect(oracle?.run).toContain("grep -q '^oracle:' gitswarm.config.yaml");
    expect(
      steps.find((s) => s.uses?.startsWith("mikepenz/action-junit-report"))
        ?.with?.report_paths,
    ).toBe("oracle-junit.xml");
    expect(ciWorkflowYaml({ gitswarmCommand: "node bin/gitswarm" })).toContain(
      "  node bin/gitswarm oracle --recording only",
    );
  });

  it("writes .github/workflows/gitswarm-oracle.yml", async () => {
    const dir = await makeTempDir("oracle-ci-");
    const file = await writeCiWorkflow(dir);
    expect(file).toBe(path.join(dir, CI_WORKFLOW_PATH));
    expect(await readFile(file, "utf8")).toBe(ciWorkflowYaml());
  });
});
