// How long a session lasts, and when the browser renews it. A session ends SESSION_MAX_AGE_S after its cookie was last
// issued; GET /api/auth/session issues it again. The dashboard asks for that when a page opens, when its tab comes back
// into view and while it stays in view, but only once the cookie is older than SESSION_RENEW_AFTER_S: an hour's use keeps the session alive
// without a renewal per page opened (each costs the server about as much CPU as the sign-in page).

export const SESSION_MAX_AGE_S = 12 * 60 * 60;
export const SESSION_RENEW_AFTER_S = 60 * 60;

/** Milliseconds until a session cookie that expires at `expiresAtS` (its `exp`) is due for renewal; 0 when due. */
export function renewalDelay(expiresAtS: number, nowMs: number): number {
  return Math.max(0, (expiresAtS - SESSION_MAX_AGE_S + SESSION_RENEW_AFTER_S) * 1000 - nowMs);
}

/** What the dashboard's frame tells the browser: the cookie is due for renewal in `dueInMs`, then every `everyMs`. */
export interface SessionRenewal {
  dueInMs: number;
  everyMs: number;
}
