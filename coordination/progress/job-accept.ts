/**
 * A job's acceptance rule (`accept: loss < 0.5`): one metric, a comparison, a number. Parsed once
 * (bad rules are PROGRESS.md errors) and checked on the job's final metrics.
 */

type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

/** A parsed rule such as `loss < 0.5`. */
export interface AcceptRule {
  metric: string;
  operator: Operator;
  value: number;
  text: string;
}

/** The rule, or a problem saying what a rule looks like. */
export type AcceptParse =
  { ok: true; rule: AcceptRule } | { ok: false; problem: string };

/** Parses `metric OP number` (OP one of < <= > >= == !=). */
export function parseAcceptRule(text: string): AcceptParse {
  const match =
    /^\s*([A-Za-z_][\w./-]*)\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i.exec(
      text,
    );
  if (match === null)
    return {
      ok: false,
      problem: `accept: expects 'metric < number' (operators < <= > >= == !=), got '${text}'`,
    };
  return {
    ok: true,
    rule: {
      metric: match[1] as string,
      operator: match[2] as Operator,
      value: Number(match[3]),
      text: text.trim(),
    },
  };
}

/** The verdict on the final metrics: passed, or failed with the reason in words. */
export type AcceptVerdict = { ok: true } | { ok: false; reason: string };

/** Checks the rule against the job's last metrics. A missing metric fails. */
export function checkAccept(
  rule: AcceptRule,
  metrics: Readonly<Record<string, unknown>> | undefined,
): AcceptVerdict {
  const actual = metrics?.[rule.metric];
  if (typeof actual !== "number" || !Number.isFinite(actual))
    return {
      ok: false,
      reason:
        actual === undefined
          ? `accept: ${rule.text} — the job reported no numeric '${rule.metric}' in its metrics`
          : `accept: ${rule.text} — '${rule.metric}' is ${JSON.stringify(actual)}, not a number: write it unquoted`,
    };
  return compare(actual, rule.operator, rule.value)
    ? { ok: true }
    : {
        ok: false,
        reason: `accept: ${rule.text} — final ${rule.metric} is ${actual}`,
      };
}

function compare(actual: number, operator: Operator, value: number): boolean {
  switch (operator) {
    case "<":
      return actual < value;
    case "<=":
      return actual <= value;
    case ">":
      return actual > value;
    case ">=":
      return actual >= value;
    case "==":
      return actual === value;
    case "!=":
      return actual !== value;
  }
}
