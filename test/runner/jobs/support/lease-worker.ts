/**
 * One "runner" process for the device-lease race: leases `count` GPUs of a shared inventory from
 * the lease dir, prints `{"ok": …, "gpus": […]}`, and holds the lease until stdin closes.
 */
import { leaseGpus } from "../../../../runner/jobs/device-leases.js";
import type { Gpu } from "../../../../runner/jobs/gpu-inventory.js";

const [dir = "", count = "1", uuids = ""] = process.argv.slice(2);
const gpus: Gpu[] = uuids.split(",").map((uuid, index) => ({
  index,
  uuid,
  name: "fake",
  memoryTotalMiB: 0,
  memoryUsedMiB: 0,
  utilizationPct: 0,
  busy: false,
}));
const result = await leaseGpus(gpus, Number(count), dir);
process.stdout.write(
  `${JSON.stringify(result.ok ? { ok: true, gpus: result.lease.gpus.map((g) => g.uuid) } : result)}\n`,
);
process.stdin.resume();
process.stdin.on("end", async () => {
  if (result.ok) await result.lease.release();
  process.exit(0);
});
