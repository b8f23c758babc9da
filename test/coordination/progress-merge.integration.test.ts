/**
 * The acceptance merge matrix: every pair of concurrent PROGRESS.md edits merged by real `git merge`
 * and real `git rebase` running the installed driver (bin/gitswarm via tsx), result asserted exactly.
 * Each case runs both orientations: a merge (git's %A = ours) and a rebase of ours onto theirs
 * (%A = theirs, the upstream; %B = the replayed commit).
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  hasMergeDriver,
  installMergeDriver,
} from "../../coordination/git/guard/merge-driver-setup.js";
import {
  archiveDoneTasks,
  readArchivedIds,
} from "../../coordination/progress/archive.js";
import { mergeDriverCommand } from "../../runner/cli/commands/merge-driver.js";
import {
  BASE,
  MergeRepo,
  addAfter,
  apply,
  checkOff,
  moveBefore,
  note,
  remove,
  retitle,
  rewrite,
  type Edit,
  type GitMergeOutcome,
} from "./progress-merge-fixture.js";

/** The six edit kinds; the second of each pair is the same kind on another task, for the diagonal. */
const KINDS: Record<string, [Edit, Edit]> = {
  "agent check-off": [checkOff("parser"), checkOff("vm")],
  "agent note": [
    note("planner", "agent-1: needs the parser API"),
    note("lexer", "agent-2: unicode?"),
  ],
  "human adds task": [
    addAfter("planner", "- [ ] optimizer: Optimise plans\n  - needs: planner"),
    addAfter("docs", "- [ ] repl: Interactive shell"),
  ],
  "human edits title": [
    retitle("vm", "Run bytecode on a register VM"),
    retitle("lexer", "Tokenise SQL and JSON input"),
  ],
  "human reorders": [moveBefore("docs", "lexer"), moveBefore("vm", "planner")],
  "human deletes task": [remove("cleanup"), remove("setup")],
};

interface Case {
  name: string;
  ours: Edit[];
  theirs: Edit[];
  /** The merge with %A = ours; default: both edits applied (they must commute). */
  expected?: string;
  /** The rebase of ours onto theirs (%A = theirs); default: `expected`. */
  swapped?: string;
}

const names = Object.keys(KINDS);
const matrix: Case[] = names.flatMap((a, i) =>
  names.slice(i).map((b) => {
    const [ours, second] = KINDS[a] as [Edit, Edit];
    const theirs = a === b ? second : (KINDS[b] as [Edit, Edit])[0];
    return {
      name: `${a} × ${b}${a === b ? " (another task)" : ""}`,
      ours: [ours],
      theirs: [theirs],
    };
  }),
);

const t = (text: string) =>
  apply(BASE, ...text.split("|").map((part) => rewriteLine(part)));
/** `old=>new` on the base text, for hand-written expectations that read like a diff. */
function rewriteLine(part: string): Edit {
  const [from, to] = part.split("=>") as [string, string];
  return rewrite(from.replace(/\\n/g, "\n"), to.replace(/\\n/g, "\n"));
}

const specials: Case[] = [
  {
    name: "both check off the same task, each with its note",
    ours: [checkOff("parser"), note("parser", "agent-1: done")],
    theirs: [checkOff("parser"), note("parser", "agent-2: done")],
    expected: t(
      "- [ ] parser=>- [x] parser|Pratt parser\\n=>Pratt parser\\n  - note: agent-1: done\\n  - note: agent-2: done\\n",
    ),
    swapped: t(
      "- [ ] parser=>- [x] parser|Pratt parser\\n=>Pratt parser\\n  - note: agent-2: done\\n  - note: agent-1: done\\n",
    ),
  },
  {
    name: "two notes on one task",
    ours: [note("planner", "agent-1: A")],
    theirs: [note("planner", "agent-2: B")],
    expected: t(
      "needs: parser\\n=>needs: parser\\n  - note: agent-1: A\\n  - note: agent-2: B\\n",
    ),
    swapped: t(
      "needs: parser\\n=>needs: parser\\n  - note: agent-2: B\\n  - note: agent-1: A\\n",
    ),
  },
  {
    name: "human deletes a task an agent checked off: kept, checked",
    ours: [remove("vm")],
    theirs: [checkOff("vm")],
    expected: t("- [ ] vm=>- [x] vm"),
  },
  {
    name: "human deletes a task an agent noted: kept, with the note",
    ours: [remove("parser")],
    theirs: [note("parser", "agent-1: half done on branch x")],
    expected: t(
      "Pratt parser\\n=>Pratt parser\\n  - note: agent-1: half done on branch x\\n",
    ),
  },
  {
    name: "human edits the title of a task an agent checked off",
    ours: [retitle("vm", "Run bytecode fast")],
    theirs: [checkOff("vm")],
    expected: t("- [ ] vm: Run bytecode=>- [x] vm: Run bytecode fast"),
  },
  {
    name: "two humans retitle the same task",
    ours: [retitle("vm", "Ours")],
    theirs: [retitle("vm", "Theirs")],
    expected: t(
      "- [ ] vm: Run bytecode\\n=>- [ ] vm: Ours\\n  - note: (merge) other title: Theirs\\n",
    ),
    swapped: t(
      "- [ ] vm: Run bytecode\\n=>- [ ] vm: Theirs\\n  - note: (merge) other title: Ours\\n",
    ),
  },
  {
    name: "human moves a task an agent checks off",
    ours: [moveBefore("docs", "lexer")],
    theirs: [checkOff("docs"), note("docs", "agent-3: README written")],
    expected: apply(
      BASE,
      moveBefore("docs", "lexer"),
      checkOff("docs"),
      note("docs", "agent-3: README written"),
    ),
  },
  {
    name: "human moves a task another human deletes",
    ours: [moveBefore("docs", "lexer")],
    theirs: [remove("docs")],
    expected: apply(BASE, remove("docs")),
  },
  {
    name: "two humans move the same task to different places",
    ours: [moveBefore("docs", "lexer")],
    theirs: [moveBefore("docs", "vm")],
    expected: apply(BASE, moveBefore("docs", "lexer")),
    swapped: apply(BASE, moveBefore("docs", "vm")),
  },
  {
    name: "human adds a task after one another human moves",
    ours: [moveBefore("planner", "lexer")],
    theirs: [addAfter("planner", "- [ ] optimizer: Optimise plans")],
    expected: apply(
      BASE,
      moveBefore("planner", "lexer"),
      addAfter("planner", "- [ ] optimizer: Optimise plans"),
    ),
  },
  {
    name: "two humans add tasks at the same place",
    ours: [addAfter("docs", "- [ ] repl: Interactive shell")],
    theirs: [addAfter("docs", "- [ ] bench: Benchmarks")],
    expected: apply(
      BASE,
      addAfter(
        "docs",
        "- [ ] repl: Interactive shell\n- [ ] bench: Benchmarks",
      ),
    ),
    swapped: apply(
      BASE,
      addAfter(
        "docs",
        "- [ ] bench: Benchmarks\n- [ ] repl: Interactive shell",
      ),
    ),
  },
  {
    name: "two humans rewrite the same prose line",
    ours: [rewrite("Humans: edit freely.", "Humans: edit freely, agents too.")],
    theirs: [rewrite("Humans: edit freely.", "Humans: please edit.")],
    expected: t(
      "Humans: edit freely.=>Humans: edit freely, agents too.\\nShared state of the swarm. Humans: please edit.",
    ),
    swapped: t(
      "Humans: edit freely.=>Humans: please edit.\\nShared state of the swarm. Humans: edit freely, agents too.",
    ),
  },
];

const repos: MergeRepo[] = [];
afterAll(async () => {
  await Promise.all(repos.map((repo) => repo.dispose()));
});

function expectClean(outcome: GitMergeOutcome, expected: string): void {
  expect(outcome.stderr, "git ran the gitswarm driver").toMatch(
    /run_command: .*merge-driver/,
  );
  expect({ ok: outcome.ok, unmerged: outcome.unmerged }).toEqual({
    ok: true,
    unmerged: [],
  });
  expect(outcome.text).toBe(expected);
}

describe("PROGRESS.md merge matrix with real git merge and rebase", () => {
  it.concurrent.each([...matrix, ...specials].map((c) => [c.name, c] as const))(
    "%s",
    async (_name, c) => {
      const ours = apply(BASE, ...c.ours);
      const theirs = apply(BASE, ...c.theirs);
      const expected = c.expected ?? apply(BASE, ...c.ours, ...c.theirs);
      if (c.expected === undefined)
        expect(apply(BASE, ...c.theirs, ...c.ours), "the edits commute").toBe(
          expected,
        );
      const repo = await MergeRepo.create(BASE, ours, theirs);
      repos.push(repo);
      expectClean(await repo.merge(), expected);
      expectClean(await repo.rebase("ours", "theirs"), c.swapped ?? expected);
    },
  );
});

describe("other ways git merges PROGRESS.md", () => {
  it("git merge-tree (the runner lands work with it) runs the driver too", async () => {
    const repo = await MergeRepo.create(
      BASE,
      apply(BASE, note("planner", "A")),
      apply(BASE, note("planner", "B")),
    );
    repos.push(repo);
    expectClean(
      await repo.mergeTree(),
      apply(BASE, note("planner", "A"), note("planner", "B")),
    );
  });

  it("two concurrent archive runs merge: PROGRESS.md by the driver, the archive by union", async () => {
    const base = apply(BASE, checkOff("lexer"), checkOff("vm"));
    const archiveBase = archiveDoneTasks(base, "", {
      heading: "Archived day 1",
    });
    const ours = archiveDoneTasks(
      apply(archiveBase.progress, checkOff("docs")),
      archiveBase.archived,
      { heading: "Archived day 2" },
    );
    const theirs = archiveDoneTasks(
      apply(archiveBase.progress, checkOff("cleanup")),
      archiveBase.archived,
      { heading: "Archived day 3" },
    );
    const repo = await MergeRepo.create(
      archiveBase.progress,
      ours.progress,
      theirs.progress,
      [archiveBase.archived, ours.archived, theirs.archived],
    );
    repos.push(repo);
    const outcome = await repo.merge();
    expect([archiveBase.ids, ours.ids, theirs.ids]).toEqual([
      ["vm", "setup"],
      ["docs"],
      ["cleanup"],
    ]);
    expectClean(
      outcome,
      apply(archiveBase.progress, remove("docs"), remove("cleanup")),
    );
    const archive = await repo.read("PROGRESS-archive.md");
    expect(archive.startsWith(archiveBase.archived)).toBe(true);
    for (const line of [
      "## Archived day 2",
      "## Archived day 3",
      "- [x] docs: Write the docs",
      "- [x] cleanup: Remove dead code",
    ]) {
      expect(archive.split("\n")).toContain(line);
    }
    expect(readArchivedIds(archive).sort()).toEqual([
      "cleanup",
      "docs",
      "setup",
      "vm",
    ]);
  });
});

describe("the driver on a broken PROGRESS.md", () => {
  it("falls back to conflict markers, keeps both sides and says why", async () => {
    const ours = apply(
      BASE,
      retitle("vm", "Ours"),
      addAfter("docs", "- [ ] lexer: Duplicate id"),
    );
    const theirs = apply(BASE, retitle("vm", "Theirs"));
    const repo = await MergeRepo.create(BASE, ours, theirs);
    repos.push(repo);
    const outcome = await repo.merge();
    expect({ ok: outcome.ok, unmerged: outcome.unmerged }).toEqual({
      ok: false,
      unmerged: ["PROGRESS.md"],
    });
    expect(outcome.stderr).toContain(
      "gitswarm merge-driver: PROGRESS.md: cannot merge task by task: ours: line 17: duplicate task id 'lexer' (first on line 7).",
    );
    expect(outcome.stderr).toContain(
      "left 1 conflict(s) marked with <<<<<<< and >>>>>>> in PROGRESS.md",
    );
    expect(outcome.text).toContain(
      "<<<<<<< PROGRESS.md (ours)\n- [ ] vm: Ours\n=======\n- [ ] vm: Theirs\n>>>>>>> PROGRESS.md (theirs)\n",
    );
    expect(outcome.text).toContain("- [ ] lexer: Duplicate id\n");
  });

  it("merges line by line when the broken file has no overlapping edits, and says so", async () => {
    const ours = apply(
      BASE,
      rewrite("## Done", "- [ ] Not A Task Id: oops\n\n## Done"),
    );
    const theirs = apply(BASE, checkOff("lexer"));
    const repo = await MergeRepo.create(BASE, ours, theirs);
    repos.push(repo);
    const outcome = await repo.merge();
    expect({ ok: outcome.ok, unmerged: outcome.unmerged }).toEqual({
      ok: true,
      unmerged: [],
    });
    expect(outcome.text).toBe(apply(ours, checkOff("lexer")));
    expect(outcome.stderr).toContain(
      "PROGRESS.md: cannot merge task by task: ours: line 18: a task item must read",
    );
    expect(outcome.stderr).toContain("Merged it line by line instead");
  });
});

describe("gitswarm merge-driver arguments", () => {
  it("names a file it cannot read, and wants three or four paths", async () => {
    const io = {
      cwd: "/nonexistent",
      env: {},
      stdout: () => {},
      stderr: () => {},
      isTty: false,
      signal: new AbortController().signal,
    };
    await expect(
      mergeDriverCommand.run(["o", "a", "b", "PROGRESS.md"], io),
    ).rejects.toThrow(
      /^cannot read \/nonexistent\/o \(ENOENT.*\); git passes %O %A %B %P$/,
    );
    await expect(mergeDriverCommand.run(["o", "a"], io)).rejects.toThrow(
      /expects <base> <ours> <theirs> <path>/,
    );
  });

  it("names the first unreadable file in argument order, never whichever read failed first", async () => {
    const repo = await MergeRepo.create(BASE, BASE, BASE);
    repos.push(repo);
    const io = {
      cwd: repo.dir,
      env: {},
      stdout: () => {},
      stderr: () => {},
      isTty: false,
      signal: new AbortController().signal,
    };
    // PROGRESS.md exists in the clone; `gone-*` do not.
    for (const [args, named] of [
      [["PROGRESS.md", "gone-a", "gone-b"], "gone-a"],
      [["gone-o", "PROGRESS.md", "gone-b"], "gone-o"],
      [["PROGRESS.md", "PROGRESS.md", "gone-b"], "gone-b"],
    ] as const) {
      await expect(
        mergeDriverCommand.run([...args, "PROGRESS.md"], io),
      ).rejects.toThrow(new RegExp(`^cannot read .*/${named} \\(ENOENT`));
    }
  });
});

describe("installMergeDriver", () => {
  it("is idempotent and makes hasMergeDriver true", async () => {
    const repo = await MergeRepo.create(BASE, BASE, BASE);
    repos.push(repo);
    await repo.git.run(["config", "--unset", "merge.gitswarm-progress.driver"]);
    expect(await hasMergeDriver(repo.dir)).toBe(false);
    const again = await installMergeDriver(repo.dir);
    expect(again.attributesChanged).toBe(false);
    expect(again.driver).toMatch(
      /^'.*node[^']*' '.*\/bin\/gitswarm' merge-driver %O %A %B %P$/,
    );
    expect(await hasMergeDriver(repo.dir)).toBe(true);
    await installMergeDriver(repo.dir, {
      gitswarmBin: "/moved/away/bin/gitswarm",
    });
    expect(await hasMergeDriver(repo.dir)).toBe(false);
    expect(await repo.git.run(["show", "main:.gitattributes"])).toBe(
      "PROGRESS.md merge=gitswarm-progress\nPROGRESS-archive.md merge=union\n",
    );
  });
});
