import { describe, expect, it } from "vitest";
import {
  classifyCommit,
  isLockPath,
  taskFromLockPath,
} from "../../../scripts/analytics/classify.js";
import type {
  CommitRecord,
  FileChange,
} from "../../../scripts/analytics/types.js";

const file = (
  path: string,
  status: FileChange["status"] = "M",
  added = 1,
  deleted = 0,
): FileChange => ({ path, status, added, deleted, binary: false });
const commit = (over: Partial<CommitRecord>): CommitRecord => ({
  hash: "h",
  parentCount: 1,
  authorName: "author",
  authorEmail: "a@x",
  time: 100,
  subject: "subject",
  trailers: [],
  files: [],
  ...over,
});
const foreign = { locksDir: "current_tasks", native: false };
const native = { locksDir: "locks", native: true };
const cls = (c: Partial<CommitRecord>, ctx = foreign) =>
  classifyCommit(commit(c), ctx).class;

describe("classifyCommit with gitswarm trailers", () => {
  it("takes the class from Swarm-Action and the agent, task and claim from the trailers", () => {
    const result = classifyCommit(
      commit({
        trailers: [
          { key: "Swarm-Action", value: "break" },
          { key: "Swarm-Task", value: "lexer" },
          { key: "Swarm-Agent", value: "agent-b" },
          { key: "Swarm-Claim", value: "c1" },
          { key: "Swarm-Forced", value: "true" },
        ],
        files: [file("locks/lexer.md", "D", 0, 4)],
      }),
      native,
    );
    expect(result).toMatchObject({
      class: "break",
      source: "trailer",
      agent: "agent-b",
      task: "lexer",
      claimId: "c1",
      forced: true,
      lines: 4,
      coordinationLines: 4,
      lockEvents: [],
    });
  });

  it("counts only lock and PROGRESS.md lines of a done commit as coordination lines", () => {
    const result = classifyCommit(
      commit({
        trailers: [{ key: "Swarm-Action", value: "done" }],
        files: [
          file("src/a.ts", "M", 10, 2),
          file("locks/a.md", "D", 0, 4),
          file("PROGRESS.md", "M", 1, 1),
        ],
      }),
      native,
    );
    expect([result.class, result.lines, result.coordinationLines]).toEqual([
      "done",
      18,
      6,
    ]);
  });

  it("calls an agent commit without an action work, and an untrailed one a human edit", () => {
    expect(
      cls(
        {
          trailers: [{ key: "Swarm-Agent", value: "a" }],
          files: [file("src/a.ts")],
        },
        native,
      ),
    ).toBe("work");
    expect(cls({ files: [file("src/a.ts")] }, native)).toBe("human");
    expect(cls({ files: [file("PROGRESS.md")] }, native)).toBe("human");
    expect(
      cls({ trailers: [{ key: "Swarm-Action", value: "teleport" }] }, native),
    ).toBe("work");
  });
});

describe("classifyCommit on foreign histories", () => {
  it("reads claims, releases and lease edits from the lock folder", () => {
    expect(cls({ files: [file("current_tasks/parser.txt", "A")] })).toBe(
      "claim",
    );
    expect(cls({ files: [file("current_tasks/parser.txt", "D")] })).toBe(
      "release",
    );
    expect(cls({ files: [file("current_tasks/parser.txt", "M")] })).toBe(
      "heartbeat",
    );
    expect(
      cls({ files: [file("current_tasks/a.txt", "D"), file("PROGRESS.md")] }),
    ).toBe("release");
  });

  it("takes a lock removal with a stale-sounding subject as a break", () => {
    expect(
      cls({
        subject: "Remove stale locks",
        files: [
          file("current_tasks/a.txt", "D"),
          file("current_tasks/b.txt", "D"),
        ],
      }),
    ).toBe("break");
    expect(
      cls({
        subject: "cleanup: expired lock",
        files: [file("current_tasks/a.txt", "D")],
      }),
    ).toBe("break");
  });

  it("sees a release folded into a feature commit as done, PROGRESS.md alone as progress", () => {
    expect(
      cls({
        files: [file("src/x.rs", "A", 40), file("current_tasks/x.txt", "D")],
      }),
    ).toBe("done");
    expect(cls({ files: [file("PROGRESS.md")] })).toBe("progress");
    expect(cls({ files: [file("docs/PROGRESS.md")] })).toBe("progress");
    expect(cls({ files: [file("src/x.rs")] })).toBe("work");
    expect(
      cls({ subject: "coalesce: dedupe helpers", files: [file("src/x.rs")] }),
    ).toBe("coalesce");
    expect(cls({ parentCount: 2 })).toBe("merge");
  });

  it("falls back to the subject for a commit that touched nothing", () => {
    expect(cls({ subject: "heartbeat agent-3" })).toBe("heartbeat");
    expect(cls({ subject: "Claim the parser" })).toBe("claim");
    expect(cls({ subject: "release vm" })).toBe("release");
    expect(cls({ subject: "wip" })).toBe("work");
  });

  it("names the agent by co-author before author, and reports lock events by task", () => {
    const result = classifyCommit(
      commit({
        authorName: "bot",
        trailers: [{ key: "Co-authored-by", value: "claude-2 <c@x>" }],
        files: [file("current_tasks/vm.txt", "A")],
      }),
      foreign,
    );
    expect(result).toMatchObject({
      agent: "claude-2",
      task: "vm",
      source: "files",
      lockEvents: [{ kind: "create", task: "vm" }],
    });
  });
});

describe("lock paths", () => {
  it("maps lock files to task names and ignores keep files", () => {
    expect(taskFromLockPath("locks/lexer.md", "locks")).toBe("lexer");
    expect(taskFromLockPath("current_tasks/fix parser", "current_tasks")).toBe(
      "fix parser",
    );
    expect(isLockPath("locks/.gitkeep", "locks")).toBe(false);
    expect(isLockPath("locksmith/a.md", "locks")).toBe(false);
  });
});
