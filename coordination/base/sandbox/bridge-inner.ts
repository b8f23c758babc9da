/**
 * The model bridge's inside half: a small node program (run with `node -e`) that starts a vendor
 * CLI inside a sandbox whose network namespace has only loopback. Before the CLI starts it listens
 * on each loopback endpoint at its own address (`127.0.0.1:8080` stays `127.0.0.1:8080`) and opens
 * an HTTP proxy for the endpoints named by host (`api.anthropic.com:443`), given to the CLI as
 * HTTPS_PROXY and HTTP_PROXY: a CONNECT tunnel, or a plain-http request in absolute form, to a
 * listed `host:port` goes to the Unix socket of its endpoint, whose other end (model-bridge.ts,
 * outside) connects to that endpoint and nothing else; any other host is answered 403. Then it runs the CLI, passes on its signals and exits as it did.
 *
 * argv after `--`: the socket dir, the endpoints as JSON, the program, its arguments.
 */

/** The program's source (CommonJS, no dependencies: it runs on the system's node, inside). */
export const BRIDGE_INNER_SOURCE = String.raw`
const net = require("net");
const { spawn } = require("child_process");
const [dir, list, file, ...args] = process.argv.slice(1);
const endpoints = JSON.parse(list);
const sock = (i) => dir + "/" + i + ".sock";
const split = (ep) => { const at = ep.lastIndexOf(":"); return [ep.slice(0, at).replace(/^\[|\]$/g, ""), Number(ep.slice(at + 1))]; };
const loopback = (host) => host === "localhost" || host === "::1" || /^127\./.test(host);
const fail = (message) => { process.stderr.write("gitswarm sandbox: " + message + "\n"); process.exit(126); };
const pipeTo = (i, client, reply, early) => {
  const up = net.connect(sock(i));
  up.on("error", () => client.destroy());
  client.on("error", () => up.destroy());
  up.on("connect", () => {
    if (reply) client.write(reply);
    if (early && early.length > 0) up.write(early);
    up.pipe(client);
    client.pipe(up);
  });
};
const listen = (server, port, host) => new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(port, host, () => resolve(server.address().port));
});
async function main() {
  const waits = [];
  endpoints.forEach((ep, i) => {
    const [host, port] = split(ep);
    if (!loopback(host)) return;
    for (const at of host === "localhost" ? ["127.0.0.1", "::1"] : [host]) {
      const server = net.createServer((client) => pipeTo(i, client));
      waits.push(listen(server, port, at).catch((e) => {
        if (at === "::1" && host === "localhost") return;
        fail("cannot listen on " + ep + " inside the sandbox (" + e.code + "): a model endpoint on loopback needs a port >= 1024 under network: model");
      }));
    }
  });
  const env = { ...process.env };
  if (endpoints.some((ep) => !loopback(split(ep)[0]))) {
    const proxy = net.createServer((client) => {
      let head = "";
      client.on("error", () => client.destroy());
      const onData = (chunk) => {
        head += chunk.toString("latin1");
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) { if (head.length > 8192) client.destroy(); return; }
        client.pause();
        client.off("data", onData);
        const tunnel = /^CONNECT (\S+) HTTP\/1\.[01]\r\n/.exec(head);
        // A plain-http request through HTTP_PROXY names its origin in the request line.
        const plain = tunnel ? null : /^[A-Z]+ http:\/\/([^\/\s?#]+)\S* HTTP\/1\.[01]\r\n/.exec(head);
        const target = tunnel ? tunnel[1] : plain ? (/:\d+$/.test(plain[1]) ? plain[1] : plain[1] + ":80") : "";
        const i = endpoints.indexOf(target);
        if (i < 0) return client.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\ngitswarm sandbox: network: model reaches only " + endpoints.join(", ") + "\n");
        const bytes = Buffer.from(head, "latin1");
        if (tunnel) pipeTo(i, client, "HTTP/1.1 200 Connection established\r\n\r\n", bytes.subarray(end + 4));
        else pipeTo(i, client, null, bytes);
      };
      client.on("data", onData);
    });
    const port = await listen(proxy, 0, "127.0.0.1");
    const url = "http://127.0.0.1:" + port;
    Object.assign(env, { HTTPS_PROXY: url, https_proxy: url, HTTP_PROXY: url, http_proxy: url, NO_PROXY: "localhost,127.0.0.1,::1", no_proxy: "localhost,127.0.0.1,::1" });
  }
  await Promise.all(waits);
  const child = spawn(file, args, { stdio: "inherit", env });
  child.on("error", (e) => fail("cannot start " + file + ": " + e.message));
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (signal === null) process.exit(code);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}
main().catch((e) => fail(String(e)));
`;
