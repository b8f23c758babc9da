/**
 * The hub's smart-HTTP server for the cross-host tests: http-hub-server.ts (node:http in front of
 * `git http-backend`) started as its own process in the hub's network namespace (netns.ts), or on
 * this machine's loopback when there is no network. It serves the bare repositories under a root
 * directory; each hub it is given is made pushable (http.receivepack=true).
 */
import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runTool, type Network } from "./netns.js";

const PROJECT_DIR = fileURLToPath(new URL("../../../..", import.meta.url));
const SERVER = fileURLToPath(new URL("http-hub-server.ts", import.meta.url));
const IP = "/usr/sbin/ip";

export interface HttpHubServer {
  /** `http://ADDRESS:PORT/<path under the root>` for a repository under the served root. */
  url(repoPath: string): string;
  /** Requests served, by client address. */
  requests(): Promise<Map<string, number>>;
  /** The server's pid (netns.ts's destroy kills it with its namespace; `stop` for loopback). */
  pid: number;
  stop(): void;
}

/**
 * Serves `root` over smart HTTP at `address:port` (0: a free port), in `network`'s hub namespace when given; `hubs`
 * are the repositories to make pushable. Resolves once the server listens.
 */
export async function startHttpHub(options: {
  network?: Network;
  address: string;
  port: number;
  root: string;
  hubs: readonly string[];
  logDir: string;
}): Promise<HttpHubServer> {
  for (const hub of options.hubs)
    await runTool("/usr/bin/git", [
      "--git-dir",
      hub,
      "config",
      "http.receivepack",
      "true",
    ]);
  const requestLog = path.join(options.logDir, "http-requests.log");
  const outFile = path.join(options.logDir, "http-server.out");
  const out = openSync(outFile, "a");
  const node = [
    process.execPath,
    "--import",
    "tsx",
    SERVER,
    options.root,
    options.address,
    String(options.port),
    requestLog,
  ];
  const [file = "", ...args] =
    options.network === undefined
      ? node
      : [IP, "netns", "exec", options.network.hub, ...node];
  const server = spawn(file, args, {
    cwd: PROJECT_DIR,
    stdio: ["ignore", out, out],
    detached: true,
  });
  server.unref();
  const deadline = Date.now() + 60_000;
  let port = "";
  for (;;) {
    const text = await readFile(outFile, "utf8").catch(() => "");
    port = /listening (\d+)/.exec(text)?.[1] ?? "";
    if (port !== "") break;
    if (Date.now() > deadline || server.exitCode !== null)
      throw new Error(`the http hub did not start:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const base = `http://${options.address}:${port}`;
  return {
    url: (repoPath) =>
      `${base}/${path.relative(options.root, repoPath).split(path.sep).join("/")}`,
    pid: server.pid ?? 0,
    stop() {
      try {
        process.kill(-(server.pid ?? 0), "SIGKILL");
      } catch {
        // gone already
      }
    },
    async requests() {
      const text = await readFile(requestLog, "utf8").catch(() => "");
      const counts = new Map<string, number>();
      for (const line of text.split("\n").filter((l) => l !== "")) {
        const client = line.split(" ")[1] ?? "";
        counts.set(client, (counts.get(client) ?? 0) + 1);
      }
      return counts;
    },
  };
}
