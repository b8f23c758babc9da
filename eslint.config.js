// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "node:child_process",
              message:
                "Spawn through coordination/base/spawn.ts (process groups, timeouts, caps).",
            },
            {
              name: "child_process",
              message:
                "Spawn through coordination/base/spawn.ts (process groups, timeouts, caps).",
            },
          ],
        },
      ],
    },
  },
  {
    // The library never touches the terminal; only the CLI and scripts may. The lower layers
    // never lean on the runner: what they share lives in coordination/base/.
    files: ["coordination/**/*.ts", "oracle/**/*.ts", "agents/**/*.ts"],
    rules: {
      "no-console": "error",
      "no-restricted-imports": [
        "error",
        {
          paths: ["node:child_process", "child_process"].map((name) => ({
            name,
            message:
              "Spawn through coordination/base/spawn.ts (process groups, timeouts, caps).",
          })),
          patterns: [
            {
              group: ["**/runner/**"],
              message:
                "The runner is the top layer; move what you need into coordination/base/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["coordination/base/spawn.ts", "test/**/*.ts", "oracle/examples/**"],
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
