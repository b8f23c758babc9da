/**
 * gitswarm's own version, the one in package.json (a test keeps them equal): `--version` prints it
 * and the CI workflow `init` writes pins it.
 */

/** The version of this gitswarm. */
export const GITSWARM_VERSION = "0.1.0";
