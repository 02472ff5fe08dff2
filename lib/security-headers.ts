// The headers of every answer of the dashboard (next.config.ts gives them to Next.js's; the server's own answers,
// lib/outside-next.ts, carry them too): a content security policy without 'unsafe-eval' (React's development build
// needs it, the production build does not), never inside a frame, no referrer to other sites, no MIME sniffing; HSTS
// when served over TLS.

function securityHeaders({ dev, tls }: { dev: boolean; tls: boolean }): { key: string; value: string }[] {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    ...(tls ? [{ key: "Strict-Transport-Security", value: "max-age=31536000" }] : []),
  ];
}

/** As the process's environment says: `next dev`, and a dashboard address (NEXTAUTH_URL) with https. */
export function securityHeadersFromEnv(env: Record<string, string | undefined> = process.env): { key: string; value: string }[] {
  return securityHeaders({ dev: env.NODE_ENV === "development", tls: (env.NEXTAUTH_URL ?? "").startsWith("https://") });
}
