/** User normalisers: regex replacements applied to both outputs before they are compared. */

/** One normaliser as configured (`oracle.normalise[]`). */
export interface Normaliser {
  pattern: string;
  replace: string;
  flags: string;
}

/**
 * Applies the normalisers in order. Patterns were validated by the config schema; a pattern that
 * still fails to compile throws (a bug, not user input).
 */
export function applyNormalisers(
  text: string,
  normalisers: readonly Normaliser[],
): string {
  let result = text;
  for (const normaliser of normalisers) {
    result = result.replace(
      new RegExp(normaliser.pattern, normaliser.flags),
      normaliser.replace,
    );
  }
  return result;
}
