/**
 * The `sandbox:` section of gitswarm.config.yaml: how agents' commands are confined
 * (coordination/base/sandbox/). `sandbox: off` is short for `{ mode: off }`.
 */
import { z } from "zod";
import { NETWORK_MODES } from "../coordination/base/sandbox/sandbox-plan.js";

const paths = (what: string) =>
  z.array(z.string().min(1)).default([]).describe(what);

/** The schema of `sandbox:`; every key has a default, so an absent section means "sandboxed". */
export const sandboxConfigSchema = z.preprocess(
  (value) => (value === "off" || value === false ? { mode: "off" } : value),
  z
    .object({
      mode: z
        .enum(["auto", "off"])
        .default("auto")
        .describe(
          "auto: confine every agent command, tool, oracle candidate and job in bubblewrap; off: none (agents can then read your files, other clones and the hub, and see every process)",
        ),
      network: z
        .enum(NETWORK_MODES)
        .default("model")
        .describe(
          "model: only a vendor CLI (which calls its model itself) reaches the network, and only its model endpoints (its baseUrl's host:port, else its vendor's API hosts): a loopback endpoint at its own address, one named by host through a proxy given as HTTPS_PROXY/HTTP_PROXY; no DNS; off: nothing has; on: every confined command has the host's whole network",
        ),
      readOnly: paths(
        "More paths agents' commands may read (toolchains outside /usr and /opt, a shared dataset)",
      ),
      readWrite: paths(
        "More paths agents' commands may write (a shared cache); they can then reach each other through it",
      ),
      unavailable: z
        .enum(["refuse", "unsandboxed"])
        .default("refuse")
        .describe(
          "Where no sandbox can start (no bubblewrap, no user namespaces, not Linux): refuse to run, or run unsandboxed",
        ),
    })
    .strict(),
);
