/// <reference lib="dom" />
/**
 * The page's DOM helpers: `h` builds elements (text is always text, never HTML), `api` talks to
 * the server with the token, `ago` and `usd` format figures.
 */

type Child = Node | string | number | null | undefined | false;

/** Creates an element with attributes (`on*` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<
    string,
    string | number | boolean | ((e: Event) => void) | undefined
  > = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function")
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : String(child));
  }
  return el;
}

/** The token the server put in the page. */
export const TOKEN =
  document.querySelector<HTMLMetaElement>('meta[name="gitswarm-token"]')
    ?.content ?? "";

/** A URL of this server with the token (for EventSource, which cannot send headers). */
export function withToken(path: string): string {
  return `${path}${path.includes("?") ? "&" : "?"}token=${TOKEN}`;
}

/** GETs JSON from the server. */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, {
    headers: { "x-gitswarm-token": decodeURIComponent(TOKEN) },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

/** POSTs an action; resolves with the server's words. */
export async function postAction(
  body: Record<string, string>,
): Promise<{ ok: boolean; message: string }> {
  const res = await fetch("/api/actions", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-gitswarm-token": decodeURIComponent(TOKEN),
    },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { ok: boolean; message: string };
}

/** "3 min ago" for an ISO time. */
export function ago(iso: string | null, now = Date.now()): string {
  if (iso === null) return "";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** "$0.0123". */
export function usd(value: number): string {
  return `$${value.toFixed(value >= 1 ? 2 : 4)}`;
}
