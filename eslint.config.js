// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const SPAWN_MESSAGE =
  "Spawn through coordination/base/spawn.ts (process groups, timeouts, caps).";

/** The product never leans on the benchmarks or the tests. */
const notProduct = [
  {
    group: ["**/scripts/bench/**", "**/test/**"],
    message: "Nothing in the product imports scripts/bench or test/.",
  },
];

/** coordination/ is below agents, oracle, the runner and the scripts. */
const outside = [
  {
    group: ["**/agents/**", "**/oracle/**", "**/runner/**", "**/scripts/**"],
    message:
      "coordination/ is the bottom layer: it imports none of agents/, oracle/, runner/ or scripts/.",
  },
  ...notProduct,
];

/** Imports of the sibling coordination/ folders that sit above this one. */
function above(folders, why) {
  return [
    {
      group: folders.flatMap((f) => [`../${f}/*`, `../../${f}/*`]),
      message: `${why}: move what you need down.`,
    },
  ];
}

/** One folder's import rules: child_process only through the spawn module, plus its boundaries. */
function layer(files, patterns) {
  return [
    {
      files,
      rules: {
        "no-restricted-imports": [
          "error",
          {
            paths: ["node:child_process", "child_process"].map((name) => ({
              name,
              message: SPAWN_MESSAGE,
            })),
            patterns,
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".gitswarm/**",
      ".scratch/**",
      "coverage/**",
      "dist/**",
      ".dist-build-*/**",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  // The layers, bottom to top: coordination/base <- coordination/git <- coordination/progress <-
  // coordination/state <- coordination/protocol <- coordination/queue <- agents, oracle, scripts/analytics <- runner <-
  // runner/cli. A layer imports only the layers below it; nothing in the product imports the
  // benchmarks or the tests. Flat config replaces a rule per file rather than merging it, so each
  // folder's entry lists every boundary that applies to it.
  ...layer(["**/*.ts"], []),
  ...layer(
    ["coordination/base/**/*.ts"],
    [
      {
        group: ["../*", "!./*"],
        message:
          "coordination/base imports nothing of ours: every layer imports it.",
      },
    ],
  ),
  // A sub-folder of base (base/sandbox/) may import base itself, one level up, and nothing above.
  ...layer(
    ["coordination/base/*/**/*.ts"],
    [
      {
        group: ["../../*"],
        message:
          "coordination/base imports nothing of ours: every layer imports it.",
      },
    ],
  ),
  ...layer(
    ["coordination/git/**/*.ts"],
    [
      ...above(
        ["progress", "state", "protocol"],
        "coordination/git is below PROGRESS.md, the hub's state and the protocol",
      ),
      ...outside,
    ],
  ),
  ...layer(
    ["coordination/progress/**/*.ts"],
    [
      ...above(
        ["state", "protocol"],
        "coordination/progress (the PROGRESS.md model) is below the hub's state and the protocol",
      ),
      ...outside,
    ],
  ),
  ...layer(
    ["coordination/state/**/*.ts"],
    [
      ...above(
        ["protocol"],
        "coordination/state (what the hub records) is below the protocol",
      ),
      ...outside,
    ],
  ),
  ...layer(
    ["coordination/protocol/**/*.ts"],
    [
      ...above(
        ["queue"],
        "coordination/protocol is below the merge queue (coordination/queue)",
      ),
      ...outside,
    ],
  ),
  ...layer(["coordination/queue/**/*.ts"], outside),
  ...layer(
    ["agents/**/*.ts", "oracle/**/*.ts", "scripts/analytics/**/*.ts"],
    [
      {
        group: ["**/runner/**"],
        message:
          "The runner is the top layer; move what you need below it (coordination/base/).",
      },
      ...notProduct,
    ],
  ),
  ...layer(
    ["runner/**/*.ts"],
    [
      {
        group: ["./cli/*", "../cli/*", "../../cli/*"],
        message:
          "runner/cli is the top: the runner never imports the CLI; move what both need into runner/.",
      },
      ...notProduct,
    ],
  ),
  ...layer(["runner/cli/**/*.ts"], notProduct),
  ...layer(
    ["scripts/bench/**/*.ts"],
    [
      {
        group: ["**/test/**"],
        message:
          "The benchmarks import nothing from test/: shared helpers live in scripts/bench/.",
      },
    ],
  ),
  {
    // The library never touches the terminal; only the CLI and scripts may.
    files: [
      "coordination/**/*.ts",
      "oracle/**/*.ts",
      "agents/**/*.ts",
      "scripts/analytics/**/*.ts",
    ],
    rules: { "no-console": "error" },
  },
  {
    // The spawn modules (spawn.ts; spawn-detached.ts for a helper nothing waits on), the tests, the oracle's examples and the bench's racers (they hold an
    // interactive stdin/stdout pipe to each claim worker) may use child_process directly.
    files: [
      "coordination/base/spawn.ts",
      "coordination/base/spawn-detached.ts",
      "test/**/*.ts",
      "oracle/examples/**",
      "scripts/bench/worker-pool.ts",
    ],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        TextDecoder: "readonly",
        TextEncoder: "readonly",
      },
    },
  },
  {
    // The demo's prepared changes are example code for a sqlite3-compatible shell: CSV quoting
    // needs control characters in its patterns.
    files: ["runner/demo/scripts/**"],
    rules: { "no-control-regex": "off" },
  },
);
