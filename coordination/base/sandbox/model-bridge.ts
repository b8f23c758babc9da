/**
 * The model bridge's outside half, for `network: model`: a vendor CLI's sandbox has a network
 * namespace of its own with only loopback in it, so it can reach nothing; each model endpoint it
 * may reach (`host:port`, from its `baseUrl` or its vendor) gets a Unix socket in a private dir
 * lent to the sandbox, and every connection to that socket is joined here to that endpoint, and
 * only to it. bridge-inner.ts is the half inside. One bridge per endpoint list per agent process,
 * kept for its life (the servers do not hold the process open; the dir goes at exit). The dir's
 * name carries the process id, so a process that died without its exit hook (SIGKILL, a signal
 * with no handler) has its dir removed by the next bridge opened on this host.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** An open bridge: the socket dir to lend, socket `<i>.sock` leading to `endpoints[i]`. */
export interface ModelBridge {
  dir: string;
  endpoints: readonly string[];
}

const open = new Map<string, ModelBridge>();
const PREFIX = "gitswarm-bridge-";

/** Removes the bridge dirs in `tmp` whose process is gone (`gitswarm-bridge-<pid>-*`). */
export function removeOrphanedBridges(tmp: string): void {
  let names: string[];
  try {
    names = readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^gitswarm-bridge-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid))
      rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The bridge to `endpoints` (`host:port` each), opened on first use. Throws on a malformed endpoint. */
export async function modelBridge(
  endpoints: readonly string[],
): Promise<ModelBridge> {
  const key = JSON.stringify(endpoints);
  const known = open.get(key);
  if (known !== undefined) return known;
  const targets = endpoints.map(parseEndpoint);
  removeOrphanedBridges(os.tmpdir());
  const dir = mkdtempSync(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  await Promise.all(
    targets.map(
      (target, i) =>
        new Promise<void>((resolve, reject) => {
          const server = net.createServer((client) => join(client, target));
          server.once("error", reject);
          server.listen(path.join(dir, `${i}.sock`), () => resolve());
          server.unref();
        }),
    ),
  );
  const bridge = { dir, endpoints: [...endpoints] };
  open.set(key, bridge);
  return bridge;
}

/** `host:port` as a host (brackets off an IPv6 literal) and a port. Pure; throws when malformed. */
export function parseEndpoint(endpoint: string): {
  host: string;
  port: number;
} {
  const at = endpoint.lastIndexOf(":");
  const host = endpoint.slice(0, at).replace(/^\[|\]$/g, "");
  const port = Number(endpoint.slice(at + 1));
  if (
    at <= 0 ||
    host === "" ||
    !Number.isInteger(port) ||
    port < 1 ||
    port > 65535
  )
    throw new Error(
      `model endpoint ${JSON.stringify(endpoint)} is not host:port`,
    );
  return { host, port };
}

function join(
  client: net.Socket,
  target: { host: string; port: number },
): void {
  const upstream = net.connect(target.port, target.host);
  upstream.on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
  client.pipe(upstream).pipe(client);
}
