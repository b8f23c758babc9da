/** The NVIDIA device nodes a GPU job's sandbox passes through (/dev/nvidia0, nvidiactl, nvidia-uvm, …). */
import { readdir } from "node:fs/promises";

/** Every /dev/nvidia* node on this host (CUDA_VISIBLE_DEVICES picks the job's own); none where there is no GPU. */
export async function nvidiaDevices(devDir = "/dev"): Promise<string[]> {
  const names = await readdir(devDir).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith("nvidia"))
    .sort()
    .map((name) => `${devDir}/${name}`);
}
