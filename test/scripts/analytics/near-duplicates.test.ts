import { describe, expect, it } from "vitest";
import {
  coreWords,
  editDistance,
  groupNearDuplicates,
  isNearDuplicate,
} from "../../../scripts/analytics/near-duplicates.js";

describe("near-duplicate task names", () => {
  it("reduces a name to its core words: no case, separators, order, plurals or generic words", () => {
    expect(coreWords("Fix_Parser-Bugs")).toEqual(["bug", "parser"]);
    expect(coreWords("parser-implementation")).toEqual(["parser"]);
    expect(coreWords("implement-btree-pages")).toEqual(["btree", "page"]);
    expect(coreWords("fix")).toEqual(["fix"]);
  });

  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });

  it("matches one task under several names", () => {
    expect(isNearDuplicate("parser_impl", "impl-parser")).toBe(true);
    expect(isNearDuplicate("parser_impl", "Parser-Implementation")).toBe(true);
    expect(isNearDuplicate("btree", "b-tree")).toBe(true);
    expect(
      isNearDuplicate("implement-btree-pages", "implemnt-btree-page"),
    ).toBe(true);
    expect(isNearDuplicate("tokenizer", "tokeniser")).toBe(true);
  });

  it("keeps different tasks apart, however alike they look", () => {
    expect(isNearDuplicate("pager_impl", "parser_impl")).toBe(false);
    expect(isNearDuplicate("index-implementation", "vm-implementation")).toBe(
      false,
    );
    expect(isNearDuplicate("step-1", "step-2")).toBe(false);
    expect(isNearDuplicate("parser", "parser-tests")).toBe(false);
  });

  it("groups names, largest group first, singletons left out", () => {
    const groups = groupNearDuplicates([
      "parser_impl",
      "impl-parser",
      "parser-implementation",
      "btree",
      "b-tree",
      "step-1",
      "step-2",
      "lexer",
      "vm",
    ]);
    expect(groups).toEqual([
      ["impl-parser", "parser-implementation", "parser_impl"],
      ["b-tree", "btree"],
    ]);
  });

  it("falls back to equal core words past the name limit", () => {
    expect(
      groupNearDuplicates(
        [
          "parser-task",
          "task-parser",
          "implement-parser",
          "tokenizer",
          "tokeniser",
        ],
        2,
      ),
    ).toEqual([["implement-parser", "parser-task", "task-parser"]]);
  });
});
