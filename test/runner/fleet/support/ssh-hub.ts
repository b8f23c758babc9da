/**
 * The hub's git server for the cross-host tests: a real sshd (scripts/bench/sshd.ts) in the hub's
 * network namespace (netns.ts), reached at the hub's address from every host.
 */
import { startSshd, type Sshd } from "../../../../scripts/bench/sshd.js";
import { HUB_ADDRESS, type Network } from "./netns.js";

export { HUB_USER } from "../../../../scripts/bench/sshd.js";

/** The hub's sshd, as the tests see it. */
export type SshHubServer = Sshd;

/**
 * Starts sshd in the hub's namespace with a fresh host key and one authorized client key for
 * HUB_USER (made once per machine), who is given the repositories `repos`.
 */
export function startSshHub(
  network: Network,
  dir: string,
  repos: readonly string[],
): Promise<SshHubServer> {
  return startSshd({
    dir,
    address: HUB_ADDRESS,
    repos,
    launch: ["/usr/sbin/ip", "netns", "exec", network.hub],
  });
}
