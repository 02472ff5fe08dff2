// The headers of every answer of the dashboard: a content security policy, never inside a frame, no referrer to other
// sites, no MIME sniffing; HSTS when served over TLS. Under `npm run serve` the policy is made per answer with a fresh
// script nonce (withContentSecurityPolicy): inline scripts run only with it, so markup an attacker got into a page
// cannot run script. Next.js's production build puts the nonce on each of its own scripts, reading it from the
// request's policy. `next dev` (its HMR and React's development build need inline scripts and eval) gets a policy
// without a nonce from next.config.ts.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

const HSTS = { key: "Strict-Transport-Security", value: "max-age=31536000" };
const servedOverTls = (env: Record<string, string | undefined>) => (env.NEXTAUTH_URL ?? "").startsWith("https://");

/** The policy of a production answer whose scripts carry `nonce`, or of development (`next dev`). */
export function contentSecurityPolicy(scripts: { nonce: string } | "development"): string {
  return [
    "default-src 'self'",
    scripts === "development" ? "script-src 'self' 'unsafe-inline' 'unsafe-eval'" : `script-src 'self' 'nonce-${scripts.nonce}'`,
    // PatternFly and React set style attributes, which a nonce cannot cover
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The headers next.config.ts gives Next.js (fixed when `npm run build` runs) and the VIP ingest writes itself: the
 * policy only under `next dev`, since in production `npm run serve` writes one per answer.
 */
export function securityHeadersFromEnv(env: Record<string, string | undefined> = process.env): { key: string; value: string }[] {
  return [
    ...(env.NODE_ENV === "development" ? [{ key: "Content-Security-Policy", value: contentSecurityPolicy("development") }] : []),
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    ...(servedOverTls(env) ? [HSTS] : []),
  ];
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

/**
 * `listener` with a policy of its own on every answer, its script nonce 128 random bits. The request carries the same
 * policy in place of any the client sent: Next.js takes the nonce for its scripts from there
 * (next/dist/server/app-render/get-script-nonce-from-header.js).
 */
export function withContentSecurityPolicy(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const policy = contentSecurityPolicy({ nonce: randomBytes(16).toString("base64") });
    req.headers["content-security-policy"] = policy;
    delete req.headers["content-security-policy-report-only"];
    res.setHeader("Content-Security-Policy", policy);
    listener(req, res);
  };
}
