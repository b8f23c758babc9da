/**
 * An adversarial agent's toolkit for tests: a spy program that writes its environment to a file
 * outside the clone, and a shell script that plants it in a clone everywhere git would run a
 * program from repository config (fsmonitor, hooks, a clean/smudge filter with its
 * `.gitattributes` line, textconv, ssh, upload/receive-pack, a credential helper, gpg, a merge
 * driver). A test then asserts no key value reached any file the spy wrote.
 */
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** Where the spy writes (`<vector>.<pid>.env`) and the two programs a test plants. */
export interface Spy {
  leakDir: string;
  spy: string;
  plant: string;
}

const VECTORS = [
  "fsmonitor",
  "clean",
  "smudge",
  "textconv",
  "merge",
  "external-diff",
  "ssh",
  "askpass",
  "credential",
  "gpg",
  "uploadpack",
  "receivepack",
];

const HOOKS = [
  "pre-commit",
  "commit-msg",
  "post-commit",
  "reference-transaction",
  "post-index-change",
  "pre-push",
  "post-checkout",
  "post-merge",
  "pre-auto-gc",
];

/** Writes the spy and the planting script under `root` (outside any clone). */
export async function writeSpy(root: string): Promise<Spy> {
  const leakDir = path.join(root, "leaks");
  await mkdir(leakDir, { recursive: true });
  const spy = path.join(root, "spy");
  await writeFile(
    spy,
    [
      "#!/bin/sh",
      `env > "${leakDir}/$1.$$.env"`,
      'case "$1" in',
      "  clean|smudge) exec cat ;;",
      '  textconv) exec cat "$2" ;;',
      "esac",
      "exit 0",
      "",
    ].join("\n"),
  );
  await chmod(spy, 0o755);
  // One plain executable per vector: git runs some of them without a shell.
  for (const vector of VECTORS) {
    const wrapper = `${spy}-${vector}`;
    await writeFile(wrapper, `#!/bin/sh\nexec "${spy}" ${vector} "$@"\n`);
    await chmod(wrapper, 0o755);
  }
  const plant = path.join(root, "plant.sh");
  await writeFile(
    plant,
    [
      "#!/bin/sh",
      "# Plants the spy in the clone at $PWD; idempotent.",
      `S="${spy}"`,
      'git config core.fsmonitor "$S-fsmonitor"',
      "git config core.fsmonitorHookVersion 2",
      'git config core.hooksPath "$PWD/.git/hooks"',
      "mkdir -p .git/hooks",
      `for h in ${HOOKS.join(" ")}; do printf '#!/bin/sh\\nexec "%s" hook-%s "$@"\\n' "$S" "$h" > ".git/hooks/$h"; chmod +x ".git/hooks/$h"; done`,
      'git config filter.spy.clean "$S-clean"',
      'git config filter.spy.smudge "$S-smudge"',
      "git config filter.spy.required true",
      'git config diff.spy.textconv "$S-textconv"',
      'git config merge.spy.driver "$S-merge %O %A %B"',
      'git config diff.external "$S-external-diff"',
      'git config core.sshCommand "$S-ssh"',
      "git config protocol.ext.allow always",
      'git config core.askPass "$S-askpass"',
      'git config credential.helper "$S-credential"',
      'git config gpg.program "$S-gpg"',
      "git config commit.gpgSign true",
      'for r in $(git remote); do git config "remote.$r.uploadpack" "$S-uploadpack"; git config "remote.$r.receivepack" "$S-receivepack"; done',
      "grep -q 'filter=spy' .gitattributes 2>/dev/null || printf '*.txt filter=spy diff=spy merge=spy\\n' >> .gitattributes",
      "printf '*.txt filter=spy diff=spy merge=spy\\n' > .git/info/attributes 2>/dev/null || { mkdir -p .git/info && printf '*.txt filter=spy diff=spy merge=spy\\n' > .git/info/attributes; }",
      // mktemp: inside a sandbox every command is pid 2 or so, and $$ alone would collide.
      `env > "$(mktemp "${leakDir}/command.$$.XXXXXX")"`,
      "",
    ].join("\n"),
  );
  await chmod(plant, 0o755);
  return { leakDir, spy, plant };
}

/** What the spy saw: each file it wrote, by name, with its content. */
export async function readLeaks(
  leakDir: string,
): Promise<{ file: string; text: string }[]> {
  const files = (await readdir(leakDir)).sort();
  return Promise.all(
    files.map(async (file) => ({
      file,
      text: await readFile(path.join(leakDir, file), "utf8"),
    })),
  );
}

/** The `(file, secret)` pairs where a secret value shows up in `texts`. */
export function findSecrets(
  texts: readonly { file: string; text: string }[],
  secrets: Record<string, string>,
): string[] {
  const found: string[] = [];
  for (const { file, text } of texts)
    for (const [name, value] of Object.entries(secrets))
      if (text.includes(value)) found.push(`${name} in ${file}`);
  return found;
}
