/**
 * A hostile program for the sandbox tests: committed into a swarm's repository and run as a
 * `command` agent (`node probe.mjs agent …`) and as the oracle candidate (`node probe.mjs
 * candidate …`). It tries every escape issue 20 names — keys by walking /proc from its own pid,
 * other processes, another agent's clone, the hub, ~/.ssh, the network, PROGRESS.md's merge
 * driver — and writes what it reached to a report in the one directory the test lends it. As an
 * agent it then does its task honestly: writes impl/<id>.txt and runs node and git.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** What one run of the probe reached. */
export interface ProbeReport {
  role: "agent" | "candidate";
  id: string;
  cwd: string;
  /** The /proc walk from its own pid to the top: each pid and the key names its environ held. */
  chain: { pid: number; keys: string[] | string }[];
  /** Every process it could see: pid and command line. */
  processes: { pid: number; cmd: string }[];
  /** Secret-looking names with a value in any environ it could read. */
  keysSeen: string[];
  /** The other clones it tried to list (name → entries, or the error). */
  otherClones: Record<string, string[] | string>;
  /** Its attempt to write a ref into the hub. */
  hubWrite: string;
  /** Its attempt to read ~/.ssh/id_ed25519 (`read` with a marker found, else the error). */
  sshKey: string;
  /** What the user's repository (above .gitswarm) looked like from inside. */
  userRepo: string[] | string;
  /** Connecting to the test's listener on 127.0.0.1. */
  network: string;
  /** Agent only: node and git run, and what they said. */
  tools?: { node: string; git: string };
}

/** The probe's source, as committed into the test repository as `probe.mjs`. */
export const PROBE_SCRIPT = String.raw`
import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const [role, reportDir, port, which] = process.argv.slice(2);
const id = path.basename(which, ".case");
const attempt = (f) => { try { return f(); } catch (e) { return "error " + (e.code ?? String(e.message).slice(0, 80)); } };
const keyNames = (text) => text.split("\0").filter((l) => /^[^=]*(KEY|TOKEN|SECRET)[^=]*=./i.test(l)).map((l) => l.split("=")[0]);
const report = { role, id, cwd: process.cwd() };

report.chain = [];
for (let pid = process.pid, i = 0; pid > 0 && i < 12; i++) {
  const env = attempt(() => keyNames(readFileSync("/proc/" + pid + "/environ", "utf8")));
  report.chain.push({ pid, keys: env });
  const stat = attempt(() => readFileSync("/proc/" + pid + "/stat", "utf8"));
  if (stat.startsWith("error")) break;
  pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}
const pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
report.processes = pids.map((p) => ({ pid: Number(p), cmd: String(attempt(() => readFileSync("/proc/" + p + "/cmdline", "utf8").split("\0").join(" ").slice(0, 160))) }));
report.keysSeen = [...new Set(pids.flatMap((p) => { const e = attempt(() => readFileSync("/proc/" + p + "/environ", "utf8")); return e.startsWith("error") ? [] : keyNames(e); }))];

const me = path.basename(process.cwd());
report.otherClones = {};
for (const name of ["hostile-1", "hostile-2", "gitswarm-runner"].filter((n) => n !== me))
  report.otherClones[name] = attempt(() => readdirSync(path.resolve("..", name)));
report.hubWrite = attempt(() => { writeFileSync(path.resolve("../../hub.git/refs/heads/HACKED-" + role), "0".repeat(40) + "\n"); return "wrote"; });
report.sshKey = attempt(() => readFileSync(path.join(os.homedir(), ".ssh", "id_ed25519"), "utf8").includes("FAKE PRIVATE KEY") ? "read" : "read, no marker");
report.userRepo = attempt(() => readdirSync(path.resolve("../../..")));
report.network = await new Promise((resolve) => {
  const socket = net.connect(Number(port), "127.0.0.1");
  const timer = setTimeout(() => { socket.destroy(); resolve("timeout"); }, 5000);
  socket.on("connect", () => { clearTimeout(timer); socket.end("hostile " + role + "\n"); resolve("connected"); });
  socket.on("error", (e) => { clearTimeout(timer); resolve("error " + e.code); });
});

if (role === "agent") {
  appendFileSync(".gitattributes", "* merge=evil\nPROGRESS.md merge=evil -diff\n");
  mkdirSync("impl", { recursive: true });
  writeFileSync("impl/" + id + ".txt", "impl " + id + "\n");
  report.tools = {
    node: attempt(() => execFileSync("node", ["-e", "console.log(6 * 7)"], { encoding: "utf8" }).trim()),
    git: attempt(() => execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "impl"], { encoding: "utf8" }).trim()),
  };
} else {
  process.stdout.write(readFileSync("impl/" + id + ".txt", "utf8"));
}
writeFileSync(path.join(reportDir, role + "-" + id + "-" + process.pid + ".json"), JSON.stringify(report, null, 2));
`;

/** Every report the probes wrote into `dir`. */
export async function readProbeReports(dir: string): Promise<ProbeReport[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  return Promise.all(
    names.map(
      async (name) =>
        JSON.parse(await readFile(path.join(dir, name), "utf8")) as ProbeReport,
    ),
  );
}
