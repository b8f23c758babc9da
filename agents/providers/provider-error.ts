/**
 * Classifies what a vendor SDK threw into the few cases the agent acts on: retry after a delay
 * (rate limit, overload, 5xx, network), stop (auth, bad request), or a response it cannot read.
 * The SDKs differ (Anthropic and OpenAI expose `status` and `headers`; Gemini puts the JSON body,
 * including RetryInfo, in the message), so this reads all of them structurally.
 */

/** What went wrong with one provider request. */
export type ProviderErrorClass =
  | { kind: "rate-limit"; retryAfterMs?: number; detail: string }
  | { kind: "server"; retryAfterMs?: number; detail: string }
  | { kind: "network"; detail: string }
  | { kind: "auth"; detail: string }
  | { kind: "aborted"; detail: string }
  | { kind: "malformed"; detail: string }
  | { kind: "fatal"; detail: string };

/** A response the client could not convert (missing fields, not JSON): never retried. */
export class MalformedResponseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MalformedResponseError";
  }
}

interface ErrorLike {
  name?: string;
  message?: string;
  status?: unknown;
  headers?: unknown;
}

/** Classifies an error thrown by a provider call; `now` anchors HTTP-date retry-after values. */
export function classifyProviderError(
  error: unknown,
  now = Date.now(),
): ProviderErrorClass {
  const e = (error ?? {}) as ErrorLike;
  const detail = shorten(`${e.name ?? "Error"}: ${e.message ?? String(error)}`);
  if (error instanceof MalformedResponseError || error instanceof SyntaxError)
    return { kind: "malformed", detail };
  if (e.name === "AbortError" || /abort/i.test(e.name ?? ""))
    return { kind: "aborted", detail };
  const status = typeof e.status === "number" ? e.status : undefined;
  const retryAfterMs =
    retryAfterFromHeaders(e.headers, now) ??
    retryDelayFromBody(e.message ?? "");
  if (status === 429) return { kind: "rate-limit", retryAfterMs, detail };
  if (status === 401 || status === 403) return { kind: "auth", detail };
  if (
    status === 408 ||
    status === 409 ||
    (status !== undefined && status >= 500)
  )
    return { kind: "server", retryAfterMs, detail };
  if (status !== undefined) return { kind: "fatal", detail };
  if (
    /connection|ECONNREFUSED|ECONNRESET|socket|fetch failed|timed? ?out/i.test(
      `${e.name} ${e.message}`,
    )
  ) {
    return { kind: "network", detail };
  }
  return { kind: "fatal", detail };
}

/** Reads `retry-after-ms` (OpenAI, Anthropic) or `retry-after` (seconds or an HTTP date) from headers. */
export function retryAfterFromHeaders(
  headers: unknown,
  now = Date.now(),
): number | undefined {
  const get = headerGetter(headers);
  if (get === undefined) return undefined;
  const ms = Number(get("retry-after-ms"));
  if (get("retry-after-ms") !== null && Number.isFinite(ms) && ms >= 0)
    return ms;
  const value = get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads Gemini's `google.rpc.RetryInfo` `retryDelay` ("1s", "37.5s") from an error body. */
export function retryDelayFromBody(text: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(text);
  return match === null ? undefined : Math.round(Number(match[1]) * 1000);
}

function headerGetter(
  headers: unknown,
): ((name: string) => string | null) | undefined {
  if (headers === null || typeof headers !== "object") return undefined;
  const h = headers as { get?: unknown } & Record<string, unknown>;
  if (typeof h.get === "function")
    return (name) =>
      (h.get as (n: string) => string | null).call(headers, name);
  return (name) => {
    const value = h[name];
    return typeof value === "string" ? value : null;
  };
}

function shorten(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
