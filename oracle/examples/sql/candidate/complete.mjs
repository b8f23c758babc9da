// When is a chunk of input a complete SQL statement? A small version of sqlite3_complete(): the
// text ends with `;` outside strings, identifiers and comments, and a CREATE TRIGGER ends with END;.

/** True when a line holds only whitespace and comments (the sqlite3 shell skips such lines). */
export function isBlank(line) {
  // An unterminated block comment continues on the next line: not blank, as in the shell.
  const open = line.lastIndexOf("/*");
  if (
    open !== -1 &&
    line.indexOf("*/", open + 2) === -1 &&
    !line.slice(0, open).includes("--")
  )
    return false;
  return tokens(line).length === 0;
}

/** True when `sql` ends a statement (or several). */
export function isComplete(sql) {
  const words = tokens(sql);
  if (words.length === 0 || words[words.length - 1] !== ";") return false;
  // A trigger body holds semicolons: the statement ends only at `END ;`.
  let inTrigger = false;
  let previous = [];
  for (const word of words) {
    const upper = word.toUpperCase();
    if (upper === "TRIGGER" && previous.includes("CREATE")) inTrigger = true;
    if (word === ";") {
      if (inTrigger && previous[previous.length - 1] !== "END") {
        previous = [...previous, ";"];
        continue;
      }
      inTrigger = false;
      previous = [];
      continue;
    }
    previous = [...previous.slice(-3), upper];
  }
  return !inTrigger;
}

function tokens(sql) {
  const out = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (sql.startsWith("--", i)) i = endOf(sql, "\n", i + 2);
    else if (sql.startsWith("/*", i)) i = endOf(sql, "*/", i + 2);
    else if (ch === "'" || ch === '"' || ch === "`") {
      out.push("str");
      i = endOf(sql, ch, i + 1);
    } else if (ch === "[") {
      out.push("id");
      i = endOf(sql, "]", i + 1);
    } else if (/\s/.test(ch)) i += 1;
    else if (ch === ";") {
      out.push(";");
      i += 1;
    } else {
      const word = /^[\w$]+|^./.exec(sql.slice(i))[0];
      out.push(word);
      i += word.length;
    }
  }
  return out;
}

function endOf(sql, close, from) {
  const at = sql.indexOf(close, from);
  return at === -1 ? sql.length : at + close.length;
}
