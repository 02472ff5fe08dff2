// Reachable without a session by design: the sign-in page, next-auth itself, the health and readiness probes, the
// metrics (behind their own bearer token), the automation API (personal API tokens, checked by lib/data) and the
// VIP agents' ingest (authenticated by its own HMAC signature).
export const PUBLIC_PATH_PREFIXES = ["/login", "/api/auth/", "/api/health", "/api/ready", "/api/metrics", "/api/v1/", "/api/vrrp/"];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATH_PREFIXES.some((p) => pathname === p || pathname.startsWith(p));
}
