/**
 * A vendor SDK loaded at its client's first request, not when the module is imported: the three
 * SDKs take about a second of CPU to load, and every agent process imports the providers, while
 * a `command` or CLI agent never calls them (measured: loading an agent process's modules with the
 * SDKs deferred, see the commit). A failed load is not cached: the next request tries again.
 */
export function loadSdk<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
