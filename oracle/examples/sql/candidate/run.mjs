#!/usr/bin/env node
// The candidate of the example swarm: a sqlite3-compatible shell built on sql.js (SQLite compiled
// to WebAssembly, a second real SQL engine from npm). It runs a SQL script and prints what the
// sqlite3 shell prints: list mode (`|` between columns, NULL as empty), REALs as `%!.15g`, errors
// as `Parse error near line N: ...` / `Runtime error near line N: ... (code)`, exit status 1 after
// any error. Usage: node candidate/run.mjs CASE.sql
import { readFileSync, writeSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { isComplete, isBlank } from './complete.mjs';
import { formatValue } from './format.mjs';

const SQL = await initSqlJs({ useOldExtensionFunctions: false });
const db = new SQL.Database();
const settings = { headers: false, nullValue: '' };
let failed = false;

const lines = readFileSync(process.argv[2] ?? 0, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
let buffer = '';
let startLine = 0;
lines.forEach((line, index) => {
  if (buffer === '' && isBlank(line)) return;
  if (buffer === '' && line.trimStart().startsWith('.')) return dotCommand(line.trim());
  if (buffer === '') startLine = index + 1;
  // Lines join with '\n' and no newline after the last one, as in the sqlite3 shell (it shows in
  // error messages that quote the input).
  buffer = buffer === '' ? line : `${buffer}\n${line}`;
  if (isComplete(buffer)) {
    runChunk(buffer, startLine);
    buffer = '';
  }
});
// At the end of input the shell runs what is left even without a final `;`.
if (buffer !== '') runChunk(buffer, startLine);
process.exitCode = failed ? 1 : 0;

function runChunk(sql, line) {
  // sqlite3 buffers a chunk's rows and flushes them after the chunk, so an error inside a chunk
  // is printed before the rows of the statements that ran before it.
  const rows = [];
  let statements;
  try {
    statements = db.iterateStatements(sql);
    for (const statement of statements) {
      try {
        runStatement(statement, rows);
      } catch (e) {
        const code = errorCode(e.message);
        // The shell shows the result code only when it is not the generic SQLITE_ERROR (1).
        error(`Runtime error near line ${line}: ${e.message}${code === 1 ? '' : ` (${code})`}`);
        return;
      } finally {
        statement.free();
      }
    }
  } catch (e) {
    error(`Parse error near line ${line}: ${e.message}`);
  } finally {
    if (rows.length > 0) writeSync(1, rows.join(''));
  }
}

function runStatement(statement, rows) {
  let first = true;
  while (statement.step()) {
    if (first && settings.headers) rows.push(statement.getColumnNames().join('|') + '\n');
    first = false;
    const values = statement.get(null, { useBigInt: true });
    rows.push(values.map((value) => formatValue(value, settings.nullValue)).join('|') + '\n');
  }
}

function dotCommand(line) {
  const [name, ...args] = line.slice(1).split(/\s+/);
  if (name === 'headers' && args.length === 1) settings.headers = ['on', '1', 'yes', 'true'].includes(args[0]);
  else if (name === 'nullvalue' && args.length === 1) settings.nullValue = args[0].replace(/^"(.*)"$/, '$1');
  else error(`Error: unknown command or invalid arguments:  "${name}". Enter ".help" for help`);
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
  writeSync(2, message + '\n');
}
