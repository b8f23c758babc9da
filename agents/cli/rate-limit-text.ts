/**
 * Recognises rate limits and auth failures in what vendor CLIs print, in each vendor's wording, and
 * reads when the limit resets where the text says so ("resets 3pm", "try again in 2 hours",
 * "Claude AI usage limit reached|1763700000", "Please retry in 37.5s").
 */

const RATE_LIMIT_PATTERNS = [
  /\b429\b/,
  /rate[ _-]?limit/i,
  /\bquota\b/i,
  /RESOURCE_EXHAUSTED/,
  /too many requests/i,
  /you've hit your (usage )?limit/i,
  /you have hit your (usage )?limit/i,
  /usage limit (reached|exceeded)/i,
  /\b5-hour limit reached\b/i,
  /\bweekly limit reached\b/i,
  /\boverloaded_error\b|\b529\b/,
];

const AUTH_PATTERNS = [
  /invalid (x-)?api[ -]?key/i,
  /authentication[_ ]error/i,
  /\b401\b.*unauthori[sz]ed|unauthori[sz]ed.*\b401\b/i,
  /please run \/login/i,
  /not logged in/i,
  /API key not valid/i,
  /AuthenticationError/,
  /missing (an )?api key|api key (is )?(missing|required|not set)/i,
  // codex: "Missing environment variable: `OPENAI_API_KEY`."
  /missing environment variable:?\s*`?\w*(KEY|TOKEN)\b/i,
  // gemini-cli: "you must specify the GEMINI_API_KEY environment variable"
  /must specify the \w+ environment variable/i,
];

/** Whether the text reports a rate limit or exhausted quota. */
export function isRateLimitText(text: string): boolean {
  return RATE_LIMIT_PATTERNS.some((p) => p.test(text));
}

/** Whether the text reports missing or rejected credentials. */
export function isAuthText(text: string): boolean {
  return AUTH_PATTERNS.some((p) => p.test(text));
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  second: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/** When the limit resets, as an ISO time, if the text says; `now` anchors relative and clock times. */
export function rateLimitResetTime(
  text: string,
  now: Date = new Date(),
): string | undefined {
  const epoch = /limit reached\|(\d{10})\b/i.exec(text);
  if (epoch) return new Date(Number(epoch[1]) * 1000).toISOString();
  const relative =
    /(?:try again|retry|resets?|available again)\s+in\s+(?:about\s+)?(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)\b/i.exec(
      text,
    );
  if (relative) {
    const unit = relative[2]!.toLowerCase().replace(/s$/, "");
    const ms =
      Number(relative[1]) *
      (UNIT_MS[unit] ?? UNIT_MS[unit.slice(0, 1)] ?? 1000);
    return new Date(now.getTime() + ms).toISOString();
  }
  const clock = /resets?\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/i.exec(
    text,
  );
  if (clock) {
    let hours = Number(clock[1]) % 12;
    if (clock[3]!.toLowerCase() === "pm") hours += 12;
    const at = new Date(now);
    at.setHours(hours, Number(clock[2] ?? 0), 0, 0);
    if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
    return at.toISOString();
  }
  return undefined;
}
