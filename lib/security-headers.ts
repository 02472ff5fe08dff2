// The headers of every answer of the dashboard (next.config.ts gives them to Next.js's; the server's own answers,
// lib/outside-next.ts, carry them too): a content security policy without 'unsafe-eval' (React's development build
// needs it, the production build does not), never inside a frame, no referrer to other sites, no MIME sniffing; HSTS
// when served over TLS.
import type { IncomingMessage, ServerResponse } from "node:http";

const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000" };
const servedOverTls = (env: Record<string, string | undefined>) => (env.NEXTAUTH_URL ?? "").startsWith("https://");

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
    ...(tls ? [HSTS] : []),
  ];
}

/** As the process's environment says: `next dev`, and a dashboard address (NEXTAUTH_URL) with https. */
export function securityHeadersFromEnv(env: Record<string, string | undefined> = process.env): { key: string; value: string }[] {
  return securityHeaders({ dev: env.NODE_ENV === "development", tls: servedOverTls(env) });
}

/**
 * HSTS, as the server's environment says when it starts. Next.js takes next.config.ts's headers when `npm run build`
 * runs, which need not see the server's settings (README § systemd units builds without them): the dashboard's
 * server (lib/cli/serve.ts) adds this to every answer itself.
 */
export function transportSecurityHeaders(env: Record<string, string | undefined> = process.env): { key: string; value: string }[] {
  return servedOverTls(env) ? [HSTS] : [];
}

/** `listener` with `headers` set on every answer before it writes its own (which win over them by name). */
export function withHeaders(
  headers: { key: string; value: string }[],
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  if (headers.length === 0) return listener;
  return (req, res) => {
    for (const { key, value } of headers) res.setHeader(key, value);
    listener(req, res);
  };
}
