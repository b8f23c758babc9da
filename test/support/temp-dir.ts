/**
 * Temp dirs that remove themselves: each one made here is deleted after the tests of the file that
 * (directly or through a fixture) imports this module, so a run leaves nothing in the temp dir.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];

afterAll(async () => {
  for (const dir of made.splice(0))
    await rm(dir, { recursive: true, force: true });
});

/** A fresh dir `<tmp>/<prefix>XXXXXX`, removed when the test file's tests are done. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
