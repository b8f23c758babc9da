import { parseLease } from "../../coordination/base/duration.js";
import { UserError } from "../../coordination/base/errors.js";

/** The `--lease` option in milliseconds; a bad or out-of-range value is a usage error (exit 2). */
export function leaseOption(text: string): number {
  const lease = parseLease(text);
  if (!lease.ok) throw new UserError("usage", `--lease ${lease.problem}`);
  return lease.ms;
}
