import { describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { renewalDelay, SESSION_MAX_AGE_S, SESSION_RENEW_AFTER_S } from "@/lib/auth/session-renewal";
import { decodeRemembered } from "@/lib/auth/session-token";

// The browser renews the session cookie once it is older than an hour, not on every page (app/ui/session-renewal.ts).

describe("the session cookie's renewal", () => {
  const now = Date.UTC(2026, 11, 3, 12);
  const issuedAgo = (s: number) => Math.floor(now / 1000) - s + SESSION_MAX_AGE_S; // the `exp` of a cookie issued s ago

  it("is due once the cookie is older than SESSION_RENEW_AFTER_S, and not before", () => {
    expect(renewalDelay(issuedAgo(0), now)).toBe(SESSION_RENEW_AFTER_S * 1000);
    expect(renewalDelay(issuedAgo(SESSION_RENEW_AFTER_S - 60), now)).toBe(60_000);
    expect(renewalDelay(issuedAgo(SESSION_RENEW_AFTER_S), now)).toBe(0);
    expect(renewalDelay(issuedAgo(SESSION_MAX_AGE_S - 1), now)).toBe(0);
    // a token without an expiry is due at once
    expect(renewalDelay(0, now)).toBe(0);
  });

  it("reads the expiry next-auth writes into the cookie", async () => {
    const secret = "renewal-test-secret";
    const token = await encode({ token: { sub: "u1", sv: 0 }, secret, maxAge: SESSION_MAX_AGE_S });
    const payload = await decodeRemembered({ token, secret });
    const delay = renewalDelay(payload!.exp as number, Date.now());
    expect(delay).toBeGreaterThan((SESSION_RENEW_AFTER_S - 5) * 1000);
    expect(delay).toBeLessThanOrEqual(SESSION_RENEW_AFTER_S * 1000);
  });
});
