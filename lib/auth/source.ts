// The client's address as the server saw it. Tripod listens on 127.0.0.1 behind a reverse proxy: the proxy appends
// the client's address to X-Forwarded-For, so the last entry is the one a client cannot choose (Next.js itself sets
// the header to the socket's address when no proxy did).
export function sourceAddress(forwardedFor: string | null | undefined): string {
  const last = forwardedFor?.split(",").map((s) => s.trim()).filter(Boolean).pop();
  return last ? last.slice(0, 64) : "unknown";
}
