/**
 * Issue 19: what a task ref may hold, judged on plain data. A lock commit holds its lock file and
 * nothing else (its queue entry aside); a file or tree over the size limit is refused unread, its
 * size named. Parsers of `cat-file --batch-check` output and of tree objects, tested on bytes.
 */
import { describe, expect, it } from "vitest";
import {
  parseCatFileCheck,
  parseTree,
  type ObjectInfo,
} from "../../../coordination/git/cat-file.js";
import {
  assessTaskRef,
  MAX_TASK_REF_OBJECT_BYTES,
} from "../../../coordination/state/task-ref-objects.js";

const OID = "a".repeat(40);
const encoder = new TextEncoder();

/** A tree object's bytes: `<mode> <name>\0` and a 20-byte id per entry. */
function treeBytes(entries: [mode: string, name: string][]): Uint8Array {
  const parts = entries.flatMap(([mode, name]) => [
    ...encoder.encode(`${mode} ${name}\0`),
    ...new Uint8Array(20).fill(0xab),
  ]);
  return Uint8Array.from(parts);
}

const REF = "refs/gitswarm/origin/tasks/t1";
const names = [
  `${REF}^{commit}`,
  `${REF}^{tree}`,
  `${REF}:locks`,
  `${REF}:queue`,
  `${REF}:locks/t1.md`,
  `${REF}:tasks/t1.md`,
  `${REF}:queue/t1.md`,
];
const info = (name: string, type: string, size: number): ObjectInfo => ({
  name,
  missing: false,
  oid: OID,
  type,
  size,
});
const missing = (name: string): ObjectInfo => ({ name, missing: true });

/** The infos and contents of a lock commit whose tree is `root`, `locks/` listing `lockDir`. */
function lockCommit(
  root: [string, string][],
  lockDir: [string, string][],
  lockSize = 12,
) {
  const rootTree = treeBytes(root);
  const locks = treeBytes(lockDir);
  const infos = [
    info(names[0]!, "commit", 200),
    info(names[1]!, "tree", rootTree.length),
    info(names[2]!, "tree", locks.length),
    missing(names[3]!),
    info(names[4]!, "blob", lockSize),
    missing(names[5]!),
    missing(names[6]!),
  ];
  const contents = new Map([
    [names[1]!, rootTree],
    [names[2]!, locks],
    [names[4]!, encoder.encode("lock text\n")],
  ]);
  return { infos, contents };
}

describe("parsing cat-file and tree output", () => {
  it("reads sizes and missing names from --batch-check lines", () => {
    expect(
      parseCatFileCheck(`${OID} blob 31457280\nx:y missing\n`, ["a", "x:y"]),
    ).toEqual([
      { name: "a", missing: false, oid: OID, type: "blob", size: 31457280 },
      { name: "x:y", missing: true },
    ]);
    expect(() => parseCatFileCheck("", ["a"])).toThrow(/ended early at 'a'/);
  });

  it("lists a tree's entries and refuses a cut-off tree", () => {
    const bytes = treeBytes([
      ["40000", "locks"],
      ["100644", "notes.txt"],
    ]);
    expect(parseTree(bytes, 20)).toEqual([
      { mode: "40000", name: "locks" },
      { mode: "100644", name: "notes.txt" },
    ]);
    expect(() => parseTree(bytes.subarray(0, bytes.length - 3), 20)).toThrow(
      /ended early/,
    );
  });
});

describe("assessTaskRef", () => {
  it("reads a lock commit that holds its lock file alone", () => {
    const { infos, contents } = lockCommit(
      [["40000", "locks"]],
      [["100644", "t1.md"]],
    );
    const ref = assessTaskRef("t1", infos, contents);
    expect(ref.lock).toEqual({ state: "text", text: "lock text\n" });
    expect(ref.commit).toBe(OID);
  });

  it("refuses a lock commit that holds a second file, naming it", () => {
    const { infos, contents } = lockCommit(
      [
        ["40000", "locks"],
        ["100644", "notes.txt"],
        ["40000", "src"],
      ],
      [
        ["100644", "t1.md"],
        ["100644", "t2.md"],
      ],
    );
    expect(assessTaskRef("t1", infos, contents).lock).toEqual({
      state: "refused",
      file: "locks/t1.md",
      problem:
        "a lock commit holds exactly one file, locks/t1.md; this one also holds notes.txt, src/, locks/t2.md",
    });
  });

  it("refuses a lock over the size limit by its size, without its content", () => {
    const size = 3 * 1024 * 1024;
    const { infos } = lockCommit(
      [["40000", "locks"]],
      [["100644", "t1.md"]],
      size,
    );
    const lock = assessTaskRef("t1", infos, new Map()).lock;
    expect(lock.state).toBe("refused");
    expect(lock.state === "refused" && lock.problem).toBe(
      `locks/t1.md is ${size} bytes, over the ${MAX_TASK_REF_OBJECT_BYTES}-byte limit for a task ref (not read); repair or remove the ref`,
    );
  });

  it("refuses an oversized marker, and reads nothing of an absent ref", () => {
    const infos = [
      info(names[0]!, "commit", 200),
      info(names[1]!, "tree", 30),
      missing(names[2]!),
      missing(names[3]!),
      missing(names[4]!),
      info(names[5]!, "blob", MAX_TASK_REF_OBJECT_BYTES + 1),
      missing(names[6]!),
    ];
    expect(assessTaskRef("t1", infos, new Map()).marker).toMatchObject({
      state: "refused",
      file: "tasks/t1.md",
    });
    expect(assessTaskRef("t1", names.map(missing), new Map()).commit).toBe(
      undefined,
    );
  });
});
