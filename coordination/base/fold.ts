/**
 * Folding concurrent reads (issue 24): callers in one process that ask for the same fresh read (a
 * fetch of the hub into one clone) while one is under way share the next one instead of each
 * starting their own. A caller arriving while a read runs waits for the read after it (one that
 * started before the question may miss what the asker just saw change), and every caller arriving
 * meanwhile shares that one: per key, at most one read running and one waiting, however many ask.
 * The shared read is aborted only when every caller waiting on it has aborted.
 */

interface Round {
  promise: Promise<unknown>;
  waiters: number;
  controller: AbortController;
}

const rounds = new Map<string, { current: Round; next?: Round }>();

/**
 * Runs `read` for `key`, or joins the next run of it already asked for; resolves or rejects as that
 * run does. The run is aborted when the `signal` of every caller waiting on it has aborted.
 */
export function foldCall<T>(
  key: string,
  read: (signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const slot = rounds.get(key);
  let round: Round;
  if (slot === undefined) {
    round = startRound(key, read, Promise.resolve());
    rounds.set(key, { current: round });
  } else {
    slot.next ??= startRound(key, read, slot.current.promise);
    round = slot.next;
  }
  return join(round, signal) as Promise<T>;
}

function startRound(
  key: string,
  read: (signal: AbortSignal) => Promise<unknown>,
  after: Promise<unknown>,
): Round {
  const round: Round = {
    waiters: 0,
    controller: new AbortController(),
    promise: Promise.resolve(),
  };
  round.promise = after
    .catch(() => undefined)
    .then(() => {
      if (rounds.get(key)?.next === round) rounds.set(key, { current: round });
      return read(round.controller.signal);
    })
    .finally(() => {
      const slot = rounds.get(key);
      if (slot?.current === round && slot.next === undefined)
        rounds.delete(key);
    });
  return round;
}

function join(round: Round, signal?: AbortSignal): Promise<unknown> {
  round.waiters += 1;
  if (signal === undefined) return round.promise;
  // The caller still ends as the read does (an aborted fetch fails as it did unfolded); the read is
  // aborted once nobody is left to want it.
  const leave = () => {
    round.waiters -= 1;
    if (round.waiters === 0) round.controller.abort(signal.reason);
  };
  if (signal.aborted) leave();
  else signal.addEventListener("abort", leave, { once: true });
  const forget = () => signal.removeEventListener("abort", leave);
  round.promise.then(forget, forget);
  return round.promise;
}
