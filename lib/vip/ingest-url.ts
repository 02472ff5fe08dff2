import ipaddr from "ipaddr.js";

// The nodes' VIP agents post keepalived state to the ingest URL written into their Ignition configs. A loopback
// URL (the demo default) reaches nothing from a node: the dashboard says so at start-up and on the cluster page.

/** The ingest's path on the dashboard (app/api/vrrp/ingest/route.ts). */
export const INGEST_PATH = "/api/vrrp/ingest";

/** TRIPOD_INGEST_URL, or the ingest route under NEXTAUTH_URL (documented in the README). */
export function ingestUrlFromEnv(env: Record<string, string | undefined> = process.env): string {
  return env.TRIPOD_INGEST_URL ?? `${env.NEXTAUTH_URL ?? "http://127.0.0.1:3000"}${INGEST_PATH}`;
}

function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (!ipaddr.isValid(name)) return false;
  const addr = ipaddr.process(name);
  return addr.range() === "loopback" || addr.range() === "unspecified";
}

/** A sentence for operators when `ingestUrl` cannot be reached from the cluster nodes, else null. */
export function ingestUrlWarning(ingestUrl: string): string | null {
  let url: URL | null = null;
  try {
    url = new URL(ingestUrl);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    return `The VIP agents' ingest URL (${ingestUrl}) is not an http(s) URL: set TRIPOD_INGEST_URL to the dashboard's address as the cluster nodes reach it.`;
  }
  if (!isLoopbackHost(url.hostname)) return null;
  return `The VIP agents' ingest URL (${ingestUrl}) is a loopback address that the cluster nodes cannot reach: set TRIPOD_INGEST_URL (or NEXTAUTH_URL) to the dashboard's address as the nodes see it, or the VIP panel stays empty.`;
}
