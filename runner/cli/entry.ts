/**
 * The process entry of `gitswarm` (bin/gitswarm imports this, compiled or from the sources): runs
 * the command and makes sure the process then ends. A handle left open by a bug (a timer, a watcher,
 * a child's pipe) must not keep a finished CLI alive: a runner left running for hours after `timeout`
 * stopped it was exactly that.
 */
import { hideSecretsFromEnviron } from "../../coordination/base/own-environ.js";

const EXIT_GRACE_MS = 5_000;

// First thing: our keys leave /proc/<pid>/environ (they stay in process.env for the model calls).
hideSecretsFromEnviron();

const argv = process.argv.slice(2);
if (argv[0] === "merge-driver") {
  // Git runs this on every merge of PROGRESS.md: skip loading the other commands.
  const { runMergeDriver } = await import("./commands/merge-driver.js");
  process.exitCode = await runMergeDriver(argv.slice(1));
} else {
  const { main } = await import("./main.js");
  process.exitCode = await main(argv);
}
// Unref'd: a process with nothing left to do exits now, as usual; one that is held open exits soon.
setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
