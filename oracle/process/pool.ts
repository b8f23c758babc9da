/** Bounded parallelism: run async work over items with at most `jobs` in flight. */

/**
 * Maps `items` through `work` with at most `jobs` concurrent calls, preserving order. After the
 * first error no new item starts; the calls in flight are awaited, then that error is thrown.
 */
export async function mapPool<T, R>(
  items: readonly T[],
  jobs: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker),
  );
  if (failure !== undefined) throw failure.error;
  return results;
}
