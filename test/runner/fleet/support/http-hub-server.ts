/**
 * A git smart-HTTP server for the cross-host tests (issue 24), as a git host runs one: node:http in
 * front of `git http-backend` as a CGI program, one process per request. Every bare repository
 * under ROOT is served (GIT_HTTP_EXPORT_ALL) and pushable (each hub has http.receivepack=true).
 * Run as its own process, in the hub's network namespace:
 *   node --import tsx http-hub-server.ts ROOT ADDRESS PORT LOG
 * PORT 0 picks a free one. It prints `listening PORT` once it accepts connections and appends `METHOD CLIENT URL STATUS` to LOG
 * per request (the tests count a host's requests from it).
 */
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";

const [root = "", address = "127.0.0.1", port = "0", log = "/dev/null"] =
  process.argv.slice(2);

/** The CGI environment RFC 3875 (and http-backend's reading of it) asks for. */
function cgiEnv(req: IncomingMessage, url: URL): NodeJS.ProcessEnv {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(", ") : (value ?? "");
  };
  return {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    GATEWAY_INTERFACE: "CGI/1.1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ""),
    REMOTE_ADDR: req.socket.remoteAddress ?? "",
    REMOTE_USER: "gitswarm",
    CONTENT_TYPE: header("content-type"),
    // Absent when the body is chunked: http-backend then reads to the end of its stdin.
    ...(req.headers["content-length"] === undefined
      ? {}
      : { CONTENT_LENGTH: header("content-length") }),
    // http-backend inflates a gzipped request body itself; protocol v2 is asked for by header.
    HTTP_CONTENT_ENCODING: header("content-encoding"),
    HTTP_GIT_PROTOCOL: header("git-protocol"),
  };
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://hub");
  const cgi = spawn("git", ["http-backend"], {
    env: cgiEnv(req, url),
    stdio: ["pipe", "pipe", "inherit"],
  });
  req.pipe(cgi.stdin);
  cgi.stdin.on("error", () => undefined); // the program may answer before reading it all
  let head = Buffer.alloc(0);
  let headerDone = false;
  let status = 200;
  cgi.stdout.on("data", (chunk: Buffer) => {
    if (headerDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    headerDone = true;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  cgi.on("close", (code) => {
    if (!headerDone) res.writeHead(502).end(`http-backend exited ${code}\n`);
    else res.end();
    appendFileSync(
      log,
      `${req.method} ${req.socket.remoteAddress} ${req.url} ${status}\n`,
    );
  });
  res.on("close", () => {
    if (cgi.exitCode === null) cgi.kill("SIGKILL");
  });
});
server.listen(Number(port), address, () => {
  const bound = server.address();
  const at = typeof bound === "object" && bound !== null ? bound.port : port;
  process.stdout.write(`listening ${at}\n`);
});
