/**
 * A run's one connection to an ssh hub (coordination/git/ssh-mux.ts): opened before the run's
 * first git call, used by every git call of the runner (and, through the agent job, of its agents),
 * closed after its last. Other hubs (a path, http) are reached as before.
 */
import {
  parseSshHub,
  startSshMux,
  useHubSshCommand,
  userSshCommand,
  type SshMux,
} from "../../coordination/git/ssh-mux.js";
import { ensureRunnerId } from "../../coordination/git/runner-id.js";

/**
 * Shares one ssh connection to `hubUrl` for this process's git calls when it is an ssh URL and the
 * connection can be made now; undefined otherwise, or with GITSWARM_SSH_MUX=off in the
 * environment (git connects per call). The checkout's runner id names the connection, so this
 * runner's next start ends a master that a SIGKILLed run of it left.
 */
export async function shareHubConnection(
  hubUrl: string,
  checkoutDir: string,
): Promise<SshMux | undefined> {
  const hub = parseSshHub(hubUrl);
  // GITSWARM_SSH_MUX=off: every git call connects on its own (an ssh setup that muxes already).
  if (hub === undefined || process.env.GITSWARM_SSH_MUX === "off")
    return undefined;
  const mux = await startSshMux(hub, userSshCommand(), {
    owner: await ensureRunnerId(checkoutDir),
  });
  if (mux === undefined) return undefined;
  useHubSshCommand(mux.sshCommand);
  return {
    ...mux,
    async stop() {
      useHubSshCommand(undefined);
      await mux.stop();
    },
  };
}
