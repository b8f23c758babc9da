// Result codes for RAISE(ABORT, ...) in triggers: its message is free-form, so any runtime error
// the message rules do not recognise is taken to be a trigger's constraint failure (19).
// (Scripted demo: deliberately wrong first attempt — guessing from messages turns every other
// runtime error into a (19) too, so cases that passed before fail: the ratchet rejects it.)

/** The code guessed from the message. */
export function resultCode(error) {
  const message = String(error?.message);
  if (/datatype mismatch/i.test(message)) return 20;
  if (/too big/i.test(message)) return 18;
  return 19;
}
