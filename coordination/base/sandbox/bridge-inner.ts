/**
 * The model bridge's inside half: a small node program (run with `node -e`) that starts a vendor
 * CLI inside a sandbox whose network namespace has only loopback. Before the CLI starts it listens
 * on each loopback endpoint at its own address (`127.0.0.1:8080` stays `127.0.0.1:8080`) and opens
 * an HTTP CONNECT proxy for the endpoints named by host (`api.anthropic.com:443`), given to the
 * CLI as HTTPS_PROXY; each accepted connection goes to the Unix socket of its endpoint, whose other
 * end (model-bridge.ts, outside) connects to that endpoint and nothing else. A CONNECT to any other
 * host is answered 403. Then it runs the CLI, passes on its signals and exits as it did.
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
const pipeTo = (i, client, head) => {
  const up = net.connect(sock(i));
  up.on("error", () => client.destroy());
  client.on("error", () => up.destroy());
  up.on("connect", () => { if (head) client.write(head); up.pipe(client); client.pipe(up); });
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
        client.off("data", onData);
        const target = /^CONNECT (\S+) HTTP\/1\.[01]\r\n/.exec(head);
        const i = target ? endpoints.indexOf(target[1]) : -1;
        if (i < 0) return client.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\ngitswarm sandbox: network: model reaches only " + endpoints.join(", ") + "\n");
        const rest = Buffer.from(head.slice(end + 4), "latin1");
        pipeTo(i, client, Buffer.concat([Buffer.from("HTTP/1.1 200 Connection established\r\n\r\n"), rest]));
      };
      client.on("data", onData);
    });
    const port = await listen(proxy, 0, "127.0.0.1");
    const url = "http://127.0.0.1:" + port;
    Object.assign(env, { HTTPS_PROXY: url, https_proxy: url, NO_PROXY: "localhost,127.0.0.1,::1", no_proxy: "localhost,127.0.0.1,::1" });
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
