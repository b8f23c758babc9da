/**
 * Longest-common-subsequence matching of two string sequences (Myers' O(ND) diff), the primitive
 * under the structural merge of PROGRESS.md. Pure; sequences are lines or task tokens.
 */

/**
 * Matches `a` against `b`: returns, for each index of `a`, the index of the `b` element it is
 * paired with in a longest common subsequence, or -1 when that element is not in `b` there.
 * Pairs are strictly increasing in both sequences.
 */
export function matchSequences(
  a: readonly string[],
  b: readonly string[],
): Int32Array {
  const matches = new Int32Array(a.length).fill(-1);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    matches[start] = start;
    start += 1;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
    matches[endA] = endB;
  }
  for (const [x, y] of myersPairs(a.slice(start, endA), b.slice(start, endB)))
    matches[start + x] = start + y;
  return matches;
}

/** Inverts a match array of `a` (length a.length) into one for `b` (length `bLength`). */
export function invertMatches(
  matches: Int32Array,
  bLength: number,
): Int32Array {
  const inverse = new Int32Array(bLength).fill(-1);
  matches.forEach((j, i) => {
    if (j >= 0) inverse[j] = i;
  });
  return inverse;
}

/**
 * Past this many edits the middle is left unmatched (all of it "changed"): a merge then keeps both
 * sides' lines rather than spend O(D²) memory on a rewrite of a whole file.
 */
const MAX_EDITS = 2000;

/**
 * Myers' greedy shortest edit script, keeping the frontier's live window [-d-1, d+1] per edit
 * step for the backtrack: O(D²) memory, small for the tens of lines a PROGRESS.md merge differs by.
 */
function myersPairs(
  a: readonly string[],
  b: readonly string[],
): [number, number][] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const max = n + m;
  const offset = max + 1;
  const frontier = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDITS); d += 1) {
    trace.push(frontier.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down =
        k === -d ||
        (k !== d &&
          at(frontier, k - 1 + offset) < at(frontier, k + 1 + offset));
      let x = down
        ? at(frontier, k + 1 + offset)
        : at(frontier, k - 1 + offset) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x += 1;
        y += 1;
      }
      frontier[k + offset] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, offset);
    }
  }
  return [];
}

function backtrack(
  trace: Int32Array[],
  n: number,
  m: number,
  offset: number,
): [number, number][] {
  const pairs: [number, number][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d -= 1) {
    const window = trace[d] as Int32Array;
    const shift = offset - d - 1;
    const frontier = { at: (index: number) => window[index - shift] ?? 0 };
    const k = x - y;
    let prevX = 0;
    let prevY = 0;
    if (d > 0) {
      const down =
        k === -d ||
        (k !== d && frontier.at(k - 1 + offset) < frontier.at(k + 1 + offset));
      const prevK = down ? k + 1 : k - 1;
      prevX = frontier.at(prevK + offset);
      prevY = prevX - prevK;
    }
    while (x > prevX && y > prevY) {
      x -= 1;
      y -= 1;
      pairs.push([x, y]);
    }
    x = prevX;
    y = prevY;
  }
  return pairs.reverse();
}

function at(array: Int32Array, index: number): number {
  return array[index] ?? 0;
}
