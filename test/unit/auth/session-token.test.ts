import { afterEach, describe, expect, it, vi } from "vitest";
import { encode } from "next-auth/jwt";
import { decodeRemembered } from "@/lib/auth/session-token";

// The session cookie's payload is remembered per cookie, never past the token's expiry, and a cookie that does not
// decode is refused every time.

const secret = "session-token-test-secret";
const T0 = Date.UTC(2026, 0, 1, 12);

afterEach(() => vi.useRealTimers());

describe("decodeRemembered", () => {
  it("answers a cookie's payload, again from memory, until the token expires (with next-auth's 15 s tolerance)", async () => {
    vi.useFakeTimers({ now: T0, toFake: ["Date"] });
    const token = await encode({ token: { sub: "user-1", sv: 3 }, secret, maxAge: 20 });
    expect(await decodeRemembered({ token, secret })).toMatchObject({ sub: "user-1", sv: 3 });
    vi.setSystemTime(T0 + 34_000);
    expect(await decodeRemembered({ token, secret })).toMatchObject({ sub: "user-1", sv: 3 });
    vi.setSystemTime(T0 + 36_000);
    await expect(decodeRemembered({ token, secret })).rejects.toThrow(/exp/);
  });

  it("refuses a cookie that does not decode, every time, and one under another secret", async () => {
    const token = await encode({ token: { sub: "user-2", sv: 0 }, secret, maxAge: 60 });
    expect(await decodeRemembered({ token, secret })).toMatchObject({ sub: "user-2" });
    const tampered = `${token.slice(0, -4)}AAAA`;
    await expect(decodeRemembered({ token: tampered, secret })).rejects.toThrow();
    await expect(decodeRemembered({ token: tampered, secret })).rejects.toThrow();
    await expect(decodeRemembered({ token, secret: "another-secret" })).rejects.toThrow();
    expect(await decodeRemembered({ token: "", secret })).toBeNull();
  });
});
