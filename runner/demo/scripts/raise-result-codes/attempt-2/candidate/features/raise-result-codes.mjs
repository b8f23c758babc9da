// The result code of a runtime error, taken from the engine. sql.js throws only the message, but
// every failing sqlite3_step() goes through db.handleError(code): the code is kept on the error.
// RAISE(ABORT, 'text') in a trigger gives a free-form message and SQLITE_CONSTRAINT (19), which no
// rule over messages can tell from a plain error.

/** Wraps the database's error handler so the thrown Error carries `resultCode`. */
export function open(db) {
  const handleError = db.handleError.bind(db);
  db.handleError = (code) => {
    try {
      return handleError(code);
    } catch (error) {
      // Extended result codes are off in sql.js, but mask anyway: the shell prints the primary code.
      if (error instanceof Error) error.resultCode = code & 0xff;
      throw error;
    }
  };
}

/** The engine's code for an error thrown through the wrapped handler. */
export function resultCode(error) {
  return typeof error?.resultCode === 'number' ? error.resultCode : undefined;
}
