/**
 * No import cycles in the product: every module's imports are resolved the way TypeScript resolves
 * them (type-only imports included: a cycle of types is still two files that cannot be understood
 * apart), and the graph must have no strongly connected component of more than one file.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SOURCE_FOLDERS = [
  "coordination",
  "agents",
  "oracle",
  "runner",
  "scripts",
];
const SKIPPED = [/\/node_modules\//, /^oracle\/examples\//, /^runner\/demo\//];

function sourceFiles(): string[] {
  const files: string[] = [];
  for (const folder of SOURCE_FOLDERS) {
    for (const entry of readdirSync(path.join(ROOT, folder), {
      recursive: true,
      withFileTypes: true,
    })) {
      const file = path.relative(ROOT, path.join(entry.parentPath, entry.name));
      if (entry.isFile() && file.endsWith(".ts") && !file.endsWith(".d.ts"))
        if (!SKIPPED.some((re) => re.test(file))) files.push(file);
    }
  }
  return files;
}

/** The product's import graph: file -> files it imports (relative to the repo root). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(
      readFileSync(path.join(ROOT, file), "utf8"),
      true,
      true,
    );
    const targets = info.importedFiles.flatMap(({ fileName }) => {
      if (!fileName.startsWith(".")) return [];
      const resolved = ts.resolveModuleName(
        fileName,
        path.join(ROOT, file),
        options,
        ts.sys,
      ).resolvedModule?.resolvedFileName;
      const target = resolved && path.relative(ROOT, resolved);
      return target && known.has(target) ? [target] : [];
    });
    graph.set(file, targets);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one member: the import cycles. */
function findCycles(
  graph: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w))
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe("the product's imports", () => {
  it("finds a cycle when there is one (the checker can fail)", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(findCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("have no cycles", () => {
    const files = sourceFiles();
    const graph = importGraph(files);
    expect(files.length).toBeGreaterThan(200);
    // The resolver really resolves: the CLI entry reaches the command table.
    expect(graph.get("runner/cli/main.ts")).toContain(
      "runner/cli/commands/index.ts",
    );
    expect(findCycles(graph)).toEqual([]);
  });
});
