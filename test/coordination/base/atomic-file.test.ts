/**
 * The atomic writer of the user's PROGRESS.md: all or nothing, only over the text the caller
 * read, through symlinks, keeping the file's mode; readers concurrent with writes (thread-pool I/O)
 * never see anything but a whole old or a whole new text.
 */
import {
  chmod,
  lstat,
  readFile,
  readdir,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import {
  readFileSettled,
  writeFileAtomic,
} from "../../../coordination/base/atomic-file.js";
import { makeTempDir } from "../../support/temp-dir.js";

let dir = "";
beforeEach(async () => {
  dir = await makeTempDir("atomic-");
});

describe("writeFileAtomic", () => {
  it("replaces the file only while it still holds the expected text", async () => {
    const file = path.join(dir, "PROGRESS.md");
    await writeFile(file, "old\n");
    expect(await writeFileAtomic(file, "new\n", { expect: "old\n" })).toEqual({
      written: true,
    });
    expect(await readFile(file, "utf8")).toBe("new\n");
    expect(await writeFileAtomic(file, "newer\n", { expect: "old\n" })).toEqual(
      { written: false, reason: "changed" },
    );
    expect(await readFile(file, "utf8")).toBe("new\n");
    // No temp file is left behind either way.
    expect(await readdir(dir)).toEqual(["PROGRESS.md"]);
  });

  it("writes through a symlink and keeps the file's mode", async () => {
    const real = path.join(dir, "real.md");
    const link = path.join(dir, "PROGRESS.md");
    await writeFile(real, "a\n");
    await chmod(real, 0o600);
    await symlink(real, link);
    await writeFileAtomic(link, "b\n");
    expect(await readFile(real, "utf8")).toBe("b\n");
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it("never lets a concurrent reader see an empty or partial file", async () => {
    const file = path.join(dir, "PROGRESS.md");
    const texts = Array.from(
      { length: 2 },
      (_, i) => `# Progress ${i}\n${"- [ ] t: task line\n".repeat(2000 + i)}`,
    );
    await writeFile(file, texts[0] ?? "");
    const rounds = Number(process.env.ATOMIC_ROUNDS ?? 60);
    let stop = false;
    const seen = new Set<number>();
    const reader = (async () => {
      while (!stop) seen.add((await readFile(file, "utf8")).length);
    })();
    for (let i = 0; i < rounds; i += 1)
      await writeFileAtomic(file, texts[(i + 1) % 2] ?? "");
    stop = true;
    await reader;
    expect([...seen].every((n) => texts.some((t) => t.length === n))).toBe(
      true,
    );
  });
});

describe("readFileSettled", () => {
  it("returns the whole text of a file at rest", async () => {
    const file = path.join(dir, "PROGRESS.md");
    await writeFile(file, "hello\n");
    expect(await readFileSettled(file, { settleMs: 0 })).toBe("hello\n");
  });
});
