import { describe, expect, it } from "vitest";
import {
  chooseLocksDir,
  detectLocksDir,
} from "../../../scripts/analytics/history/locks-dir.js";
import type {
  CommitRecord,
  FileChange,
} from "../../../scripts/analytics/types.js";

const touch = (
  ...files: Array<[string, FileChange["status"]]>
): CommitRecord => ({
  hash: "h",
  parentCount: 1,
  authorName: "a",
  authorEmail: "a@x",
  time: 0,
  subject: "s",
  trailers: [],
  files: files.map(([path, status]) => ({
    path,
    status,
    added: 1,
    deleted: 0,
    binary: false,
  })),
});

function lockCycles(dir: string, n: number): CommitRecord[] {
  return Array.from({ length: n }, (_, i) => [
    touch([`${dir}/t${i}.txt`, "A"]),
    touch([`${dir}/t${i}.txt`, "D"]),
  ]).flat();
}

describe("detectLocksDir", () => {
  it("finds a folder whose files come and go in small commits", () => {
    const work = Array.from({ length: 20 }, (_, i) =>
      touch([`src/f${i % 3}.rs`, "M"], [`src/g${i}.rs`, "A"]),
    );
    expect(detectLocksDir([...work, ...lockCycles("current_tasks", 4)])).toBe(
      "current_tasks",
    );
  });

  it("needs at least three cycles, and mostly creations and deletions", () => {
    expect(detectLocksDir(lockCycles("tasks", 2))).toBeUndefined();
    const edited = Array.from({ length: 10 }, () =>
      touch(["tasks/t0.txt", "M"]),
    );
    expect(
      detectLocksDir([...lockCycles("tasks", 3), ...edited]),
    ).toBeUndefined();
  });

  it("ignores folders whose files arrive with big commits", () => {
    const big = Array.from({ length: 4 }, (_, i) =>
      touch(
        [`gen/a${i}`, "A"],
        [`gen/b${i}`, "A"],
        [`gen/c${i}`, "A"],
        [`gen/d${i}`, "A"],
      ),
    );
    const gone = Array.from({ length: 4 }, (_, i) =>
      touch(
        [`gen/a${i}`, "D"],
        [`gen/b${i}`, "D"],
        [`gen/c${i}`, "D"],
        [`gen/d${i}`, "D"],
      ),
    );
    expect(detectLocksDir([...big, ...gone])).toBeUndefined();
  });
});

describe("chooseLocksDir", () => {
  it("prefers the option, then locks/, then detection", () => {
    const foreign = lockCycles("current_tasks", 3);
    expect(chooseLocksDir(foreign, "./claims/")).toEqual({
      path: "claims",
      source: "option",
    });
    expect(chooseLocksDir([...foreign, touch(["locks/a.md", "A"])])).toEqual({
      path: "locks",
      source: "default",
    });
    expect(chooseLocksDir(foreign)).toEqual({
      path: "current_tasks",
      source: "detected",
    });
    expect(chooseLocksDir([touch(["src/a", "A"])])).toEqual({
      path: "locks",
      source: "none",
    });
  });
});
