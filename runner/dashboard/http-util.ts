/**
 * Small HTTP helpers for the dashboard server: the token check (constant time), the Host check
 * that stops DNS rebinding, JSON and SSE responses, and a capped JSON body reader.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A fresh random token (what the printed URL carries). */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Whether the request carries the token (in `?token=` or the `x-gitswarm-token` header). */
export function hasToken(
  req: IncomingMessage,
  url: URL,
  token: string,
): boolean {
  const given =
    url.searchParams.get("token") ??
    (typeof req.headers["x-gitswarm-token"] === "string"
      ? req.headers["x-gitswarm-token"]
      : "");
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether the Host header names this server on loopback (a rebound DNS name does not). */
export function isLocalHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host ?? "";
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** Sends a body with the security headers. */
export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type });
  res.end(body);
}

/** Sends JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
): void {
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value));
}

/** Starts a server-sent-events stream; returns a writer of named events. */
export function openEventStream(res: ServerResponse) {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": "text/event-stream; charset=utf-8",
    connection: "keep-alive",
  });
  res.write(": gitswarm\n\n");
  return (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Reads a JSON body of at most `maxBytes`; undefined when it is too big or not JSON. */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes = 16 * 1024,
): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}
