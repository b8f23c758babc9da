/**
 * Where gitswarm itself is installed: the folder holding its package.json. The same code runs from
 * the sources (`runner/demo.ts`) and compiled (`dist/runner/demo.js`, one level deeper), so files
 * that ship beside the code (bin/gitswarm, the demo's content) are found from here, never by
 * counting `..` from a module.
 */
import { existsSync } from "node:fs";
import path from "node:path";

/** Returns the nearest folder at or above `from` that holds a package.json; throws if none does. */
export function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir)
      throw new Error(`gitswarm's package.json was not found above ${from}`);
  }
}

/** The root of this gitswarm installation (a checkout or an installed package). */
export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);
