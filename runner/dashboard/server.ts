/**
 * `gitswarm dashboard`'s web server (Node's http, nothing else): on 127.0.0.1 only, every request
 * needs the token from the printed URL (401 without it), pages and data come from the
 * {@link SwarmFeed}, live updates go out as server-sent events, and actions go through
 * actions.ts (the CLI's protocol functions). Works offline: the page's assets are bundled.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { agentLogFile } from "../logs/agent-log.js";
import { readSince, tailAgentLog } from "../logs/read-agent-log.js";
import { performAction, parseAction, type ActionContext } from "./actions.js";
import {
  hasToken,
  isLocalHost,
  newToken,
  openEventStream,
  readJsonBody,
  send,
  sendJson,
} from "./http-util.js";
import { loadPageAssets } from "./page-assets.js";
import { pageHtml } from "./page-html.js";
import { SwarmFeed, type FeedSource } from "./swarm-feed.js";
import { readTaskDetail } from "./task-detail.js";

/** How to start a dashboard. */
export interface DashboardOptions
  extends FeedSource, Omit<ActionContext, "ws" | "repoDir"> {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default: a fresh random one. */
  token?: string;
}

/** A running dashboard. */
export interface Dashboard {
  url: string;
  port: number;
  token: string;
  /** Tells the feed the event log just moved (the runner's own dashboard, on every event). */
  poke(): void;
  close(): Promise<void>;
}

const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Starts the server and the feed; resolves once it listens. */
export async function startDashboard(
  options: DashboardOptions,
): Promise<Dashboard> {
  const token = options.token ?? newToken();
  const feed = new SwarmFeed(options);
  await feed.start();
  const streams = new Set<ServerResponse>();
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, { error: error.message });
      else res.end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (!isLocalHost(req, port))
      return send(res, 421, "text/plain", "wrong host\n");
    if (!hasToken(req, url, token))
      return send(
        res,
        401,
        "text/plain",
        "the dashboard needs the token from its printed URL\n",
      );
    const route = url.pathname;
    if (req.method === "POST" && route === "/api/actions") {
      // The header, not the query: a form on another page cannot set it.
      if (req.headers["x-gitswarm-token"] !== token)
        return send(
          res,
          401,
          "text/plain",
          "actions need the x-gitswarm-token header\n",
        );
      const action = parseAction(await readJsonBody(req));
      if (action === undefined)
        return sendJson(res, 400, { ok: false, message: "not an action" });
      const result = await performAction(options, action);
      void feed.refreshNow();
      return sendJson(res, result.ok ? 200 : 409, {
        ok: result.ok,
        message: result.message,
      });
    }
    if (req.method !== "GET")
      return send(res, 405, "text/plain", "GET or POST\n");
    if (route === "/" || route === "/index.html")
      return send(res, 200, "text/html; charset=utf-8", pageHtml(token));
    if (route === "/assets/app.js")
      return send(
        res,
        200,
        "text/javascript; charset=utf-8",
        (await loadPageAssets()).js,
      );
    if (route === "/assets/app.css")
      return send(
        res,
        200,
        "text/css; charset=utf-8",
        (await loadPageAssets()).css,
      );
    if (route === "/api/state") return sendJson(res, 200, feed.current());
    if (route === "/api/events") {
      const write = openEventStream(res);
      streams.add(res);
      write("snapshot", feed.current());
      const unsubscribe = feed.subscribe((s) => write("snapshot", s));
      res.on("close", () => {
        unsubscribe();
        streams.delete(res);
      });
      return;
    }
    const task = /^\/api\/tasks\/([^/]+)$/.exec(route);
    if (task?.[1] !== undefined) {
      if (options.ws === undefined)
        return sendJson(res, 404, { error: "no hub yet" });
      const detail = await readTaskDetail(
        options.ws,
        feed.currentState(),
        feed.runEvents(),
        decodeURIComponent(task[1]),
      );
      return detail === undefined
        ? sendJson(res, 404, { error: "no such task" })
        : sendJson(res, 200, detail);
    }
    const log = /^\/api\/agents\/([^/]+)\/log$/.exec(route);
    if (log?.[1] !== undefined) {
      const agent = decodeURIComponent(log[1]);
      const runDir = feed.currentRunDir();
      if (!AGENT_NAME.test(agent) || runDir === undefined)
        return sendJson(res, 404, { error: "no such agent log" });
      streams.add(res);
      return streamLog(res, runDir, agent, () => streams.delete(res));
    }
    return send(res, 404, "text/plain", "not found\n");
  };
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    poke: () => feed.poke(),
    async close() {
      for (const res of streams) res.end();
      await feed.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/** Streams an agent's log: its last 200 lines, then each new line as it is written. */
async function streamLog(
  res: ServerResponse,
  runDir: string,
  agent: string,
  onClose: () => void,
): Promise<void> {
  const write = openEventStream(res);
  const tail = await tailAgentLog(runDir, agent, 200);
  write("lines", tail.lines);
  let offset = tail.offset;
  let open = true;
  res.on("close", () => {
    open = false;
    onClose();
  });
  const file = agentLogFile(runDir, agent);
  while (open) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await readSince(file, offset);
    offset = next.offset;
    if (next.text !== "" && open)
      write("lines", next.text.replace(/\n$/, "").split("\n"));
  }
}
