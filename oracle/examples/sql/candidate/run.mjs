#!/usr/bin/env node
// The candidate of the example swarm: a sqlite3-compatible shell built on sql.js (SQLite compiled
// to WebAssembly, a second real SQL engine from npm). It runs a SQL script and prints what the
// sqlite3 shell prints: list mode (`|` between columns, NULL as empty), REALs as `%!.15g`, errors
// as `Parse error near line N: ...` / `Runtime error near line N: ... (code)`, exit status 1 after
// any error. Dot-commands and output modes come from shell.mjs and the files in features/.
// Usage: node candidate/run.mjs CASE.sql
import { readFileSync, writeSync } from "node:fs";
import initSqlJs from "sql.js";
import { isComplete, isBlank } from "./complete.mjs";
import { formatValue } from "./format.mjs";
import { loadShell, resultCodeOf, runDotCommand } from "./shell.mjs";

const SQL = await initSqlJs({ useOldExtensionFunctions: false });
const db = new SQL.Database();
const shell = await loadShell(new URL("./features/", import.meta.url));
for (const open of shell.opens) open(db);
let failed = false;

const lines = readFileSync(process.argv[2] ?? 0, "utf8").split("\n");
if (lines[lines.length - 1] === "") lines.pop();
let buffer = "";
let startLine = 0;
lines.forEach((line, index) => {
  if (buffer === "" && isBlank(line)) return;
  if (buffer === "" && line.trimStart().startsWith(".")) {
    const problem = runDotCommand(shell, line.trim());
    if (problem !== undefined) error(problem);
    return;
  }
  if (buffer === "") startLine = index + 1;
  // Lines join with '\n' and no newline after the last one, as in the sqlite3 shell (it shows in
  // error messages that quote the input).
  buffer = buffer === "" ? line : `${buffer}\n${line}`;
  if (isComplete(buffer)) {
    runChunk(buffer, startLine);
    buffer = "";
  }
});
// At the end of input the shell runs what is left even without a final `;`.
if (buffer !== "") runChunk(buffer, startLine);
process.exitCode = failed ? 1 : 0;

function runChunk(sql, line) {
  // sqlite3 buffers a chunk's rows and flushes them after the chunk, so an error inside a chunk
  // is printed before the rows of the statements that ran before it.
  const output = [];
  let statements;
  try {
    statements = db.iterateStatements(sql);
    for (const statement of statements) {
      try {
        runStatement(statement, output);
      } catch (e) {
        const code = resultCodeOf(shell, e) ?? errorCode(e.message);
        // The shell shows the result code only when it is not the generic SQLITE_ERROR (1).
        error(
          `Runtime error near line ${line}: ${e.message}${code === 1 ? "" : ` (${code})`}`,
        );
        return;
      } finally {
        statement.free();
      }
    }
  } catch (e) {
    error(`Parse error near line ${line}: ${e.message}`);
  } finally {
    if (output.length > 0) writeSync(1, output.join(""));
  }
}

function runStatement(statement, output) {
  const rows = [];
  try {
    while (statement.step()) {
      const values = statement.get(null, { useBigInt: true });
      rows.push(
        values.map((value) => (value === null ? null : formatValue(value))),
      );
    }
  } finally {
    // Rows printed before a runtime error still show, as in the shell; a mode sees NULL as null.
    const mode = shell.modes[shell.settings.mode];
    output.push(mode.render(statement.getColumnNames(), rows, shell.settings));
  }
}

function errorCode(message) {
  // sql.js exposes only the message, not sqlite3_errcode(), so the code is inferred from it.
  if (/constraint failed|^FOREIGN KEY|cannot store/i.test(message)) return 19;
  if (/datatype mismatch/i.test(message)) return 20;
  if (/too big|string or blob too big/i.test(message)) return 18;
  return 1;
}

function error(message) {
  failed = true;
  writeSync(2, message + "\n");
}
