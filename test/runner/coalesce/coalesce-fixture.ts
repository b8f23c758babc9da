/**
 * A swarm repo seeded with known duplication and drift for the coalescer's tests: a real bare hub,
 * a user clone whose config points at it, and helpers to read the hub's refs.
 */
import path from "node:path";
import { agentIdentity } from "../../../coordination/git/workspace.js";
import {
  createSwarmFixture,
  type SwarmFixture,
} from "../../support/swarm-fixture.js";

/** A function body long enough for jscpd (5+ lines, 50+ tokens), varied by `seed`. */
export function duplicatedBody(name: string, seed: number): string {
  const lines = Array.from(
    { length: 8 },
    (_, i) =>
      `  const v${i} = input.map((x) => x * ${i + seed} + ${i * 3}).filter((y) => y % 7 !== ${i % 7});\n  total += v${i}.reduce((a, b) => a + b, 0);`,
  );
  return `export function ${name}(input: number[]): number {\n  let total = 0;\n${lines.join("\n")}\n  return total;\n}\n`;
}

/** The seeded files: 2 clone pairs, 1 unused file, 1 unused dependency, docs and PROGRESS.md drift. */
export function seededFiles(config: string): Record<string, string> {
  return {
    "gitswarm.config.yaml": config,
    "package.json": JSON.stringify(
      {
        name: "seeded",
        version: "1.0.0",
        type: "module",
        main: "src/index.ts",
        dependencies: { "left-pad": "1.3.0" },
      },
      null,
      2,
    ),
    "src/index.ts":
      'import { alpha } from "./alpha.js";\nimport { beta } from "./beta.js";\nimport { gamma } from "./gamma.js";\nimport { delta } from "./delta.js";\nexport const all = [alpha, beta, gamma, delta];\n',
    "src/alpha.ts": duplicatedBody("alpha", 1),
    "src/beta.ts": duplicatedBody("beta", 1),
    "src/gamma.ts": duplicatedBody("gamma", 5),
    "src/delta.ts": duplicatedBody("delta", 5),
    "src/orphan.ts": "export const orphan = 1;\n",
    "README.md":
      "# Seeded\n\nRun `gitswarm status`, then `gitswarm frobnicate`.\nThe entry is `src/index.ts`; the helpers were in `src/helpers.ts`.\n",
    "PROGRESS.md": [
      "# Progress",
      "",
      "- [x] old: An old finished task",
      "  - note: released by a1: attempt 1 failed: rate limited",
      "  - note: released by a1: attempt 1 failed: rate limited",
      "- [ ] next: The next task",
      "  - note: released by a1: attempt 1 failed: rate limited",
      "- [ ] later: A later task",
      "",
    ].join("\n"),
  };
}

/** The config of the seeded repo: a tiny PROGRESS.md budget and one project detector. */
export function seededConfig(hubDir: string, extra = ""): string {
  return `hub:\n  url: ${hubDir}\nlease: 30s\ncoalesce:\n  progress:\n    maxLines: 5\n  detectors:\n    - name: todo\n      command: echo '{"kind":"todo","files":["src/alpha.ts"],"detail":"a TODO in alpha","fix":"do it"}'\n${extra}`;
}

export interface SeededRepo {
  fixture: SwarmFixture;
  /** The user's clone, where `gitswarm coalesce --repo` runs. */
  userDir: string;
}

/** Creates the seeded hub and the user's clone of it. */
export async function createSeededRepo(configExtra = ""): Promise<SeededRepo> {
  const placeholder = "@@HUB@@";
  const fixture = await createSwarmFixture(
    seededFiles(seededConfig(placeholder, configExtra)),
  );
  // The hub's path is only known now: rewrite the config on main as a human would.
  const config = seededConfig(fixture.hubDir, configExtra);
  await fixture.pushToMain(
    { "gitswarm.config.yaml": config },
    "config: the hub",
  );
  const user = await fixture.clone("user");
  await user.git.run(["config", "user.name", "user"]);
  return { fixture, userDir: user.dir };
}

/** Every ref on the hub with its value, sorted: compared before and after a dry run. */
export async function hubRefs(fixture: SwarmFixture): Promise<string> {
  return fixture.hub.run(["for-each-ref", "--format=%(refname) %(objectname)"]);
}

/** A second identity for pushes that play another agent. */
export const otherAgent = agentIdentity("a1");

/** The path of a file in the user's clone. */
export function userFile(repo: SeededRepo, name: string): string {
  return path.join(repo.userDir, name);
}
