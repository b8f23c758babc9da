/**
 * What an agent may not land in `.gitattributes` (pure, on strings), and the `info/attributes` pin
 * that keeps PROGRESS.md on our merge driver in a real clone whatever the tree says.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  attributeMatches,
  stripDriverLines,
} from "../../coordination/git/guard/attributes-guard.js";
import { Git } from "../../coordination/git/git.js";
import {
  MERGE_ATTRIBUTES,
  pinAttributes,
} from "../../coordination/git/guard/merge-driver-setup.js";

const OURS = `${MERGE_ATTRIBUTES.join("\n")}\n`;

describe("stripDriverLines", () => {
  it("strips drivers an agent adds for the files gitswarm owns, keeps ours and the rest", () => {
    const text = `${OURS}* merge=evil\n*.md filter=x\n**/PROGRESS.md -merge\n[Pp]ROGRESS.md diff=y\n* binary\n*.js diff=js\n*.png binary\nsrc/** filter=lfs\n* text=auto eol=lf\n`;
    const result = stripDriverLines(text);
    expect(result.stripped).toEqual([
      "* merge=evil",
      "*.md filter=x",
      "**/PROGRESS.md -merge",
      "[Pp]ROGRESS.md diff=y",
      "* binary",
    ]);
    expect(result.text).toBe(
      `${OURS}*.js diff=js\n*.png binary\nsrc/** filter=lfs\n* text=auto eol=lf\n`,
    );
  });

  it("strips a macro that carries a driver, wherever it is used", () => {
    expect(
      stripDriverLines("[attr]evil merge=evil\n[attr]nice text\n").stripped,
    ).toEqual(["[attr]evil merge=evil"]);
  });

  it("keeps what main already has: the user's own lines are theirs", () => {
    const main = `${OURS}*.md diff=markdown\n`;
    expect(stripDriverLines(`${main}* merge=evil\n`, main)).toEqual({
      text: main,
      stripped: ["* merge=evil"],
    });
  });
});

describe("attributeMatches", () => {
  it("matches as git's wildmatch does for a top-level file", () => {
    expect(attributeMatches("*", "PROGRESS.md")).toBe(true);
    expect(attributeMatches("/PROGRESS.md", "PROGRESS.md")).toBe(true);
    expect(attributeMatches("P?OGRESS.*", "PROGRESS.md")).toBe(true);
    expect(attributeMatches("*.yaml", "gitswarm.config.yaml")).toBe(true);
    expect(attributeMatches("src/*", "PROGRESS.md")).toBe(false);
    expect(attributeMatches("*.js", "PROGRESS.md")).toBe(false);
  });
});

describe("pinAttributes", () => {
  it("keeps PROGRESS.md on our driver against a committed `* merge=evil`, and survives being run twice", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "gitswarm-pin-"));
    try {
      const git = new Git(dir);
      await git.run(["init", "--quiet"]);
      await writeFile(
        path.join(dir, ".gitattributes"),
        `${OURS}* merge=evil filter=evil\n`,
      );
      const attr = () =>
        git.run(["check-attr", "merge", "filter", "--", "PROGRESS.md"]);
      expect(await attr()).toContain("merge: evil");
      await pinAttributes(git);
      await pinAttributes(git);
      expect(await attr()).toBe(
        "PROGRESS.md: merge: gitswarm-progress\nPROGRESS.md: filter: unspecified\n",
      );
      const pinned = await git.run([
        "rev-parse",
        "--git-path",
        "info/attributes",
      ]);
      const text = await readFile(path.resolve(dir, pinned.trim()), "utf8");
      expect(text.match(/gitswarm-progress/g)?.length).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
