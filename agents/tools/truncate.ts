/** Truncation of long tool outputs: keep the head and the tail, say how much was cut and how to see more. */

/** A possibly shortened text and whether anything was cut. */
export interface Truncated {
  text: string;
  truncated: boolean;
}

/** Keeps the first two thirds and last third of `maxChars`, with a note in between naming what was cut. */
export function truncateOutput(
  text: string,
  maxChars: number,
  hint = "narrow the command or read a smaller range",
): Truncated {
  if (text.length <= maxChars) return { text, truncated: false };
  const head = Math.floor((maxChars * 2) / 3);
  const tail = maxChars - head;
  const cut = text.length - head - tail;
  const note = `\n[... ${cut} characters truncated of ${text.length}; ${hint} ...]\n`;
  return {
    text: text.slice(0, head) + note + text.slice(text.length - tail),
    truncated: true,
  };
}
