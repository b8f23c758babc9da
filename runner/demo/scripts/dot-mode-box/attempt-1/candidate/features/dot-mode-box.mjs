// `.mode box` and `.mode table`: column mode's layout inside a frame (Unicode box-drawing lines or
// ASCII `+-|`). The header is always shown, centred; cells are left-aligned.
import { layout, padEnd, textWidth } from './dot-mode-column.mjs';

const BOX = { top: ['┌', '─', '┬', '┐'], middle: ['├', '─', '┼', '┤'], bottom: ['└', '─', '┴', '┘'], bar: '│' };
const TABLE = { top: ['+', '-', '+', '+'], middle: ['+', '-', '+', '+'], bottom: ['+', '-', '+', '+'], bar: '|' };

// An odd leftover space goes to the right, as in the shell.
function centre(text, width) {
  const room = width - textWidth(text);
  const left = Math.floor(room / 2);
  return ' '.repeat(left) + text + ' '.repeat(room - left);
}

function framed(style) {
  return (columns, rows, s) => {
    if (rows.length === 0) return '';
    const { cells, widths } = layout(columns, rows, s);
    const rule = ([left, fill, join, right]) => left + widths.map((w) => fill.repeat(w + 2)).join(join) + right + '\n';
    const line = (texts) => style.bar + texts.map((text) => ` ${text} `).join(style.bar) + style.bar + '\n';
    const header = line(columns.map((name, i) => centre(name, widths[i])));
    const body = cells.map((row) => line(row.map((cell, i) => padEnd(cell, widths[i])))).join('');
    return rule(style.top) + header + rule(style.middle) + body + rule(style.bottom);
  };
}

/** The box and table modes. */
export const modes = {
  box: { render: framed(BOX) },
  table: { render: framed(TABLE) },
};
