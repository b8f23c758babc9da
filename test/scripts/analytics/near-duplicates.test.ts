import { describe, expect, it } from 'vitest';
import { editDistance, groupNearDuplicates, nameDistance, normalizeTaskName } from '../../../scripts/analytics/near-duplicates.js';

describe('near-duplicate task names', () => {
  it('normalises case, separators, word order and plurals', () => {
    expect(normalizeTaskName('Fix_Parser-Bugs')).toBe('bug fix parser');
    expect(normalizeTaskName('parser fix bug')).toBe('bug fix parser');
    expect(nameDistance('parser_impl', 'impl-parser')).toBe(0);
  });

  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('groups names of one task and keeps numbered tasks apart', () => {
    const groups = groupNearDuplicates(['parser_impl', 'impl-parser', 'parser-implementation', 'btree', 'b-tree', 'step-1', 'step-2', 'lexer', 'vm']);
    expect(groups).toEqual([
      ['b-tree', 'btree'],
      ['impl-parser', 'parser_impl'],
    ]);
  });

  it('groups a typo-level difference', () => {
    expect(groupNearDuplicates(['implement-btree-pages', 'implement-btree-page', 'implemnt-btree-pages'])).toEqual([
      ['implement-btree-page', 'implement-btree-pages', 'implemnt-btree-pages'],
    ]);
  });

  it('falls back to exact normalised matches past the name limit', () => {
    expect(groupNearDuplicates(['a-task', 'task-a', 'a-tusk'], 2)).toEqual([['a-task', 'task-a']]);
  });
});
