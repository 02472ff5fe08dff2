// Reachable without a session by design: the sign-in page, next-auth itself, the health probe and the VIP
// agents' ingest (authenticated by its own HMAC signature, not by a browser session).
export const PUBLIC_PATH_PREFIXES = ["/login", "/api/auth/", "/api/health", "/api/vrrp/"];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATH_PREFIXES.some((p) => pathname === p || pathname.startsWith(p));
}
