/**
 * Runs a vendor CLI through coordination/base/spawn.ts's line streaming, so its JSONL events can be turned
 * into live tool-call events while it works. Keeps the tail of stdout (the result event comes last)
 * within a character cap, so a chatty CLI cannot exhaust memory.
 */
import {
  decode,
  streamLines,
  type SpawnOptions,
} from "../../coordination/base/spawn.js";

/** What a finished CLI run left: its (tail of) stdout, stderr, and how it ended. */
export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
}

const DEFAULT_MAX_STDOUT_CHARS = 16 * 1024 * 1024;

/** Runs `file`, calling `onLine` for every stdout line as it arrives; throws only if it cannot start. */
export async function runCliProcess(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
  onLine: (line: string) => void,
  maxStdoutChars = DEFAULT_MAX_STDOUT_CHARS,
): Promise<CliRun> {
  // stdin is closed at once: `codex exec` appends whatever a piped stdin holds to its prompt,
  // and waits for the pipe to close before it starts.
  const { lines, done } = streamLines(file, args, { input: "", ...options });
  const kept: string[] = [];
  let keptChars = 0;
  try {
    for await (const line of lines) {
      onLine(line);
      kept.push(line);
      keptChars += line.length + 1;
      while (keptChars > maxStdoutChars && kept.length > 1)
        keptChars -= (kept.shift() ?? "").length + 1;
    }
  } catch {
    // The stream ends in an error when the process fails or is killed; `done` says how it ended.
  }
  const result = await done;
  return {
    stdout: kept.join("\n"),
    stderr: decode(result.stderr),
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    aborted: result.aborted,
  };
}
