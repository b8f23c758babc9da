// Whether dist/ holds a build of the sources beside it (bin/gitswarm runs dist/ only then). An
// installed package has no sources and always runs dist/. "Current": no source file or folder (the
// build's tsconfig `include`, less its `exclude`) is newer than dist/build-info.json, which the
// build dates to the moment it started. A folder's time changes when a file in it is added, removed
// or renamed; a file's when it is edited. Plain JavaScript: it runs before any TypeScript loader.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** True when `root`/dist was built from `root`'s current sources (false when never built). */
export function isDistCurrent(root) {
  let builtAt;
  try {
    builtAt = statSync(path.join(root, "dist", "build-info.json")).mtimeMs;
  } catch {
    return false;
  }
  const config = path.join(root, "tsconfig.build.json");
  const { include, exclude } = JSON.parse(readFileSync(config, "utf8"));
  const skip = new Set(
    exclude.map((p) => path.join(root, p.replace(/\/\*\*$/, ""))),
  );
  const inputs = [config, path.join(root, "tsconfig.json")];
  return (
    inputs.every((file) => statSync(file).mtimeMs < builtAt) &&
    include.every((dir) => isOlderThan(path.join(root, dir), builtAt, skip))
  );
}

function isOlderThan(dir, builtAt, skip) {
  if (statSync(dir).mtimeMs >= builtAt) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.name === "node_modules" || skip.has(file)) continue;
    if (entry.isDirectory()) {
      if (!isOlderThan(file, builtAt, skip)) return false;
    } else if (
      entry.name.endsWith(".ts") &&
      statSync(file).mtimeMs >= builtAt
    ) {
      return false;
    }
  }
  return true;
}
