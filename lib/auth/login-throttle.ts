// Failed sign-ins are rate limited twice, both counted in the database (shared by every server process):
// - per user name and source address: after MAX_FAILURES failures within WINDOW_MS from one address, that address
//   may not try the name again until the oldest failure leaves the window (a colleague elsewhere is not locked out);
// - per source address: after MAX_FAILURES_PER_SOURCE failures within the window, the address may not try any name
//   (no spraying many user names from one place).
// Every attempt first reserves its failure row with one conditional INSERT (atomic in SQLite), so parallel guesses
// cannot all pass the check before any of them is recorded; a successful sign-in removes its reservation.
export const MAX_FAILURES = 5;
export const MAX_FAILURES_PER_SOURCE = 20;
export const WINDOW_MS = 60_000;

export function windowStart(now: Date): Date {
  return new Date(now.getTime() - WINDOW_MS);
}

export const LOGIN_MESSAGES = {
  invalid: "Wrong user name or password.",
  throttled: "Too many failed sign-ins for this user. Wait a minute and try again.",
  sourceThrottled: "Too many failed sign-ins from your address. Wait a minute and try again.",
  disabled: "Wrong user name or password.",
  unknownDomain: "There is no such domain for sign-in here. Check the domain name (or leave it empty for a Tripod account).",
  keystoneInvalid: "Keystone refused that user name and password.",
  keystoneDown: "Keystone does not answer right now; try again later, or sign in with a Tripod account.",
} as const;
export type LoginRefusal = keyof typeof LOGIN_MESSAGES;
