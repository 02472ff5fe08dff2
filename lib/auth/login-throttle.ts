// Failed sign-ins are rate limited per user name: after MAX_FAILURES failures within WINDOW_MS every further
// attempt is refused, right or wrong, until the oldest failure leaves the window.
export const MAX_FAILURES = 5;
export const WINDOW_MS = 60_000;

export function windowStart(now: Date): Date {
  return new Date(now.getTime() - WINDOW_MS);
}

export function isThrottled(failuresInWindow: number): boolean {
  return failuresInWindow >= MAX_FAILURES;
}

export const LOGIN_MESSAGES = {
  invalid: "Wrong user name or password.",
  throttled: "Too many failed sign-ins for this user. Wait a minute and try again.",
} as const;
