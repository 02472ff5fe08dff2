import { decode, getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import { setBounded } from "@/lib/bounded-map";
import { processWide } from "@/lib/process-wide";
import { authSecret } from "./secret";

// The session cookie, decoded: what proxy.ts and the route handlers' actor (lib/data/session.ts) read on every
// request. next-auth's decode derives the encryption key from the secret (HKDF) and decrypts the cookie each time,
// about 0.4 ms of CPU per call in the server, twice per request — as much as the database reads of an unchanged
// poll. A cookie's payload never changes (it is encrypted and authenticated), so a decoded payload is kept per
// cookie for a minute, never past the token's own expiry (with next-auth's 15 s clock tolerance). Nothing else is
// cached: whether the session still counts (session version, disabled user, role, memberships) is read from the
// database on every request, so a sign-out or revocation applies at once as before.

const KEEP_MS = 60_000;
const KEEP_MAX = 2_000;
/** next-auth's decode accepts a token this long after its `exp`. */
const CLOCK_TOLERANCE_S = 15;

// Process-wide: the proxy, the pages and the route handlers each decode the same cookies (lib/process-wide.ts).
const decoded = processWide("decoded-session-cookies", () => new Map<string, { payload: JWT; until: number }>());

/** next-auth's decode, remembered per cookie value (a failed decode is not remembered: the cookie is refused each time). */
export async function decodeRemembered(params: JWTDecodeParams, now = Date.now()): Promise<JWT | null> {
  if (!params.token) return null;
  const key = `${params.salt ?? ""}\n${params.secret}\n${params.token}`;
  const hit = decoded.get(key);
  if (hit && hit.until > now) return hit.payload;
  if (hit) decoded.delete(key);
  const payload = await decode(params);
  if (!payload) return null;
  const exp = typeof payload.exp === "number" ? (payload.exp + CLOCK_TOLERANCE_S) * 1000 : now + KEEP_MS;
  setBounded(decoded, key, { payload, until: Math.min(now + KEEP_MS, exp) }, KEEP_MAX);
  return payload;
}

type TokenRequest = Parameters<typeof getToken>[0]["req"];

/** The decoded session cookie of a request (or its `Authorization: Bearer` token, as next-auth reads it), or null. */
export function sessionToken(req: TokenRequest): Promise<JWT | null> {
  return getToken({ req, secret: authSecret, decode: (params) => decodeRemembered(params) });
}
