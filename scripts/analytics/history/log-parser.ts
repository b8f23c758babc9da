/**
 * The one `git log` invocation analytics makes, and a pure line-by-line parser of its output. A
 * record starts with \x1e, its header fields (hash, parents, author and email as .mailmap maps
 * them, time, the ref that reached it) are split by \x1f, the message ends with \x1d, and
 * `--numstat` / `--summary` lines follow. Control characters keep commit text from posing as format.
 */
import { parseTrailerBlock } from "../../../coordination/git/trailers.js";
import type { CommitRecord, FileChange } from "../types.js";

const START = "\x1e";
const FIELD = "\x1f";
const END = "\x1d";
const KEPT_TRAILER = /^(swarm-[a-z-]+|co-authored-by)$/i;

/** `git log` arguments for one streaming pass: every commit with files, line counts and creations. */
export function logArgs(revisions: readonly string[]): string[] {
  return [
    "-c",
    "core.quotePath=false",
    "log",
    `--format=${START}%H${FIELD}%P${FIELD}%aN${FIELD}%aE${FIELD}%ct${FIELD}%S${FIELD}%B${END}`,
    "--numstat",
    "--summary",
    // A rename would show as one changed path; a lock moved is a delete and a create to us.
    "--no-renames",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    ...revisions,
    "--",
  ];
}

/** Feeds lines in, gets whole commits out. Throws on output that is not this format (a bug). */
export class LogParser {
  private current: CommitRecord | undefined;
  // Only the last paragraph of a message matters (its trailers); earlier ones are dropped as read.
  private message: { paragraph: string[]; paragraphs: number } | undefined;
  private byPath = new Map<string, FileChange>();
  // Interned strings (paths, authors, trailers): 100k commits repeat the same few thousand.
  private strings = new Map<string, string>();

  constructor(private readonly emit: (commit: CommitRecord) => void) {}

  /** One line of output, without its newline. */
  push(line: string): void {
    if (this.message !== undefined) return this.pushMessage(line);
    if (line.startsWith(START)) return this.startCommit(line);
    if (line === "") return;
    if (this.current === undefined)
      throw new Error(`git log output starts with an unexpected line: ${line}`);
    if (line.startsWith(" ")) return this.pushSummary(line.trim());
    this.pushNumstat(line);
  }

  /** Flushes the last commit. */
  end(): void {
    if (this.message !== undefined)
      throw new Error("git log output ended inside a commit message");
    this.flush();
  }

  private startCommit(line: string): void {
    this.flush();
    const fields = line.slice(1).split(FIELD);
    if (fields.length < 7)
      throw new Error(`git log header has ${fields.length} fields: ${line}`);
    const [
      hash = "",
      parents = "",
      authorName = "",
      authorEmail = "",
      time = "",
      ref = "",
    ] = fields;
    this.current = {
      hash,
      parentCount: parents === "" ? 0 : parents.split(" ").length,
      authorName: this.intern(authorName),
      authorEmail: this.intern(authorEmail),
      time: Number(time),
      subject: "",
      trailers: [],
      files: [],
      ...(ref === "" ? {} : { ref: this.intern(ref) }),
    };
    const subject = fields.slice(6).join(FIELD);
    this.current.subject = (
      subject.endsWith(END) ? subject.slice(0, -1) : subject
    ).trim();
    this.message = { paragraph: [], paragraphs: 1 };
    this.pushMessage(subject);
  }

  private pushMessage(line: string): void {
    const message = this.message ?? { paragraph: [], paragraphs: 1 };
    const ended = line.endsWith(END);
    const text = ended ? line.slice(0, -1) : line;
    if (text.trim() === "") {
      // The blank line git puts before the end marker closes nothing.
      if (!ended && message.paragraph.length > 0) {
        message.paragraphs += 1;
        message.paragraph = [];
      }
    } else {
      message.paragraph.push(text);
    }
    if (!ended) return;
    const commit = this.current as CommitRecord;
    // A one-paragraph message is all subject: it has no trailers.
    const trailers =
      message.paragraphs > 1 ? parseTrailerBlock(message.paragraph) : [];
    // Keep only what analytics reads, interned: 100k commits repeat the same few agents and actions.
    commit.trailers = trailers
      .filter((t) => KEPT_TRAILER.test(t.key))
      .map((t) => ({
        key: this.intern(t.key),
        value: /^swarm-claim$/i.test(t.key) ? t.value : this.intern(t.value),
      }));
    this.message = undefined;
  }

  private pushNumstat(line: string): void {
    const [added = "", deleted = "", ...rest] = line.split("\t");
    const path = this.intern(unquotePath(rest.join("\t")));
    const binary = added === "-";
    const file: FileChange = {
      path,
      added: binary ? 0 : Number(added),
      deleted: binary ? 0 : Number(deleted),
      binary,
      status: "M",
    };
    if (Number.isNaN(file.added) || Number.isNaN(file.deleted))
      throw new Error(`unexpected numstat line: ${line}`);
    this.current?.files.push(file);
    this.byPath.set(path, file);
  }

  private pushSummary(line: string): void {
    // " create mode 100644 path" / " delete mode 100644 path"; mode changes need nothing.
    const match = /^(create|delete) mode \d+ (.*)$/.exec(line);
    if (!match) return;
    const file = this.byPath.get(unquotePath(match[2] ?? ""));
    if (file) file.status = match[1] === "create" ? "A" : "D";
  }

  private flush(): void {
    if (this.current !== undefined) this.emit(this.current);
    this.current = undefined;
    this.byPath.clear();
  }

  private intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    // A fresh flat copy: a slice would keep the whole line it was cut from alive.
    const copy = (" " + text).slice(1);
    this.strings.set(copy, copy);
    return copy;
  }
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  '"': '"',
  "\\": "\\",
  a: "\x07",
  b: "\b",
  f: "\f",
  r: "\r",
  v: "\v",
};

/** Undoes git's C-style quoting of unusual paths (`"a\tb"`, octal bytes for the rest). */
export function unquotePath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"') || path.length < 2)
    return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] ?? "";
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const next = body[i + 1] ?? "";
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(...Buffer.from(ESCAPES[next] ?? next, "utf8"));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
