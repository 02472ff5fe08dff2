import https from "node:https";
import { isIP } from "node:net";
import type { Readable } from "node:stream";
import { checkServerIdentity } from "node:tls";
import axios, { isAxiosError, type AxiosInstance } from "axios";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { ClusterSpec } from "@/lib/cluster-spec";
import { sleep } from "@/lib/util/sleep";

// What `openshift-install wait-for bootstrap-complete` waits for: the API answers /readyz, and bootkube has
// written the kube-system/bootstrap config map with status "complete" (the installer watches for it). Tripod asks
// the masters' kube-apiservers directly — their Cluster-network addresses first, then the VIPs — so whoever holds
// the API VIP (the bootstrap until bootkube is done) does not matter, and it watches the config map instead of
// sampling it.

export interface KubeconfigAccess {
  server: string;
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  insecureSkipTlsVerify: boolean;
}

export class KubeconfigError extends Error {
  readonly name = "KubeconfigError";
}

/** A kubeconfig as far as Tripod reads it (the rest is left alone): a file of another shape is refused by its field. */
const KubeconfigDoc = z.object({
  "current-context": z.string().optional(),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string() }) })).optional(),
  clusters: z
    .array(z.object({ name: z.string(), cluster: z.object({ server: z.string().optional(), "certificate-authority-data": z.string().optional(), "insecure-skip-tls-verify": z.boolean().optional() }) }))
    .optional(),
  users: z.array(z.object({ name: z.string(), user: z.object({ "client-certificate-data": z.string().optional(), "client-key-data": z.string().optional(), token: z.string().optional() }) })).optional(),
});

const b64 = (v: string | undefined) => (v ? Buffer.from(v, "base64").toString("utf8") : undefined);

/** The current context's server and credentials, from the installer's auth/kubeconfig (inline data only). */
export function parseKubeconfig(text: string): KubeconfigAccess {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new KubeconfigError(`kubeconfig is not valid YAML: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object") throw new KubeconfigError("kubeconfig is empty");
  const shaped = KubeconfigDoc.safeParse(parsed);
  if (!shaped.success) {
    const [issue] = shaped.error.issues;
    throw new KubeconfigError(issue.path.length ? `kubeconfig ${issue.path.join(".")}: ${issue.message}` : "kubeconfig is not a mapping of contexts, clusters and users");
  }
  const doc = shaped.data;
  const context = doc.contexts?.find((c) => c.name === doc["current-context"]) ?? doc.contexts?.[0];
  if (!context) throw new KubeconfigError("kubeconfig has no context");
  const cluster = doc.clusters?.find((c) => c.name === context.context.cluster)?.cluster;
  const user = doc.users?.find((u) => u.name === context.context.user)?.user;
  if (!cluster?.server) throw new KubeconfigError(`kubeconfig cluster ${context.context.cluster} has no server`);
  if (!user) throw new KubeconfigError(`kubeconfig user ${context.context.user} is missing`);
  if (!user.token && !(user["client-certificate-data"] && user["client-key-data"])) {
    throw new KubeconfigError("kubeconfig user needs a token or inline client-certificate-data and client-key-data");
  }
  return {
    server: cluster.server.replace(/\/+$/, ""),
    caPem: b64(cluster["certificate-authority-data"]),
    clientCertPem: b64(user["client-certificate-data"]),
    clientKeyPem: b64(user["client-key-data"]),
    token: user.token,
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
  };
}

/** Where Tripod asks: each master's Cluster-network address, then the internal API VIP, the API VIP, and the
 * kubeconfig's own server. Certificates are checked against the kubeconfig server's host name in every case. */
export interface BootstrapEndpoint {
  label: string;
  url: string;
}

export const KUBECONFIG_SERVER = "kubeconfig server";

export function bootstrapEndpoints(spec: ClusterSpec, access: KubeconfigAccess): BootstrapEndpoint[] {
  const port = new URL(access.server).port || "443";
  const at = (label: string, ip: string) => ({ label, url: `https://${ip}:${port}` });
  const cluster = spec.networks.cluster;
  return [
    at("master-0 (Cluster network)", cluster.ips.master0),
    at("master-1 (Cluster network)", cluster.ips.master1),
    at("master-2 (Cluster network)", cluster.ips.master2),
    ...(cluster.apiIntVip ? [at("internal API VIP", cluster.apiIntVip)] : []),
    at("API VIP", spec.networks.public.apiVip),
    { label: KUBECONFIG_SERVER, url: access.server },
  ];
}

function kubeClient(access: KubeconfigAccess, baseURL: string, timeoutMs: number): AxiosInstance {
  const host = new URL(access.server).hostname.replace(/^\[|\]$/g, "");
  return axios.create({
    baseURL,
    timeout: timeoutMs,
    validateStatus: () => true,
    headers: access.token ? { Authorization: `Bearer ${access.token}` } : {},
    httpsAgent: new https.Agent({
      ca: access.caPem,
      cert: access.clientCertPem,
      key: access.clientKeyPem,
      rejectUnauthorized: !access.insecureSkipTlsVerify,
      // An endpoint is an address; the serving certificate is for the kubeconfig's server name.
      servername: isIP(host) ? undefined : host,
      checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert),
      keepAlive: false,
    }),
  });
}

const CONFIG_MAPS = "/api/v1/namespaces/kube-system/configmaps";
const SELECTOR = "fieldSelector=metadata.name%3Dbootstrap";

interface ConfigMap {
  metadata?: { resourceVersion?: string };
  data?: { status?: string };
}
interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: ConfigMap & { code?: number; message?: string };
}

/** Newline-delimited JSON events of a watch response, as they arrive. */
async function* watchEvents(stream: Readable): AsyncGenerator<WatchEvent> {
  let buffered = "";
  for await (const chunk of stream) {
    buffered += chunk.toString("utf8");
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line) yield JSON.parse(line) as WatchEvent;
    }
  }
}

export interface WaitOptions {
  signal: AbortSignal;
  /** Called with one sentence per finding (the step records changes as events). */
  onDetail: (detail: string) => void;
  /** Per-request timeout of /readyz and the list. */
  timeoutMs?: number;
  /** Pause after every endpoint failed once. */
  retryMs?: number;
  /** Server-side bound of one watch request; the watch is then resumed from the last resource version. */
  watchSeconds?: number;
}

/**
 * One endpoint: /readyz, then list the config map and watch it from the list's resource version until it says
 * "complete" (true), or until the endpoint fails (a sentence why).
 */
async function followEndpoint(access: KubeconfigAccess, endpoint: BootstrapEndpoint, opts: Required<WaitOptions>): Promise<true | string> {
  const client = kubeClient(access, endpoint.url, opts.timeoutMs);
  const where = `${endpoint.label} (${endpoint.url})`;
  try {
    const readyz = await client.get<string>("/readyz", { signal: opts.signal, responseType: "text" });
    if (readyz.status !== 200) return `${where}: /readyz answered ${readyz.status}`;
    for (;;) {
      const list = await client.get<{ metadata?: { resourceVersion?: string }; items?: ConfigMap[] }>(`${CONFIG_MAPS}?${SELECTOR}`, { signal: opts.signal });
      if (list.status !== 200) return `${where}: API ready; listing the bootstrap config map: HTTP ${list.status}`;
      if (list.data.items?.some((cm) => cm.data?.status === "complete")) return true;
      let version = list.data.metadata?.resourceVersion ?? "";
      opts.onDetail(`${where}: API ready; watching the bootstrap config map (not yet complete)`);
      let expired = false;
      while (!expired) {
        const watch = await client.get<Readable>(`${CONFIG_MAPS}?${SELECTOR}&watch=true&allowWatchBookmarks=true&resourceVersion=${version}&timeoutSeconds=${opts.watchSeconds}`, {
          signal: opts.signal,
          responseType: "stream",
          // no idle timeout while events are awaited; the server ends the watch after watchSeconds
          timeout: (opts.watchSeconds + 10) * 1000,
        });
        if (watch.status !== 200) {
          watch.data.destroy();
          return `${where}: watching the bootstrap config map: HTTP ${watch.status}`;
        }
        for await (const event of watchEvents(watch.data)) {
          if (event.type === "ERROR") {
            watch.data.destroy();
            if (event.object.code === 410) {
              expired = true; // our version left the server's history: list again
              break;
            }
            return `${where}: watch error ${event.object.code}: ${event.object.message ?? ""}`;
          }
          version = event.object.metadata?.resourceVersion ?? version;
          if ((event.type === "ADDED" || event.type === "MODIFIED") && event.object.data?.status === "complete") {
            watch.data.destroy();
            return true;
          }
        }
      }
    }
  } catch (error) {
    if (opts.signal.aborted) throw error;
    const reason = isAxiosError(error) ? (error.code ?? error.message) : (error as Error).message;
    return `${where}: unreachable: ${reason}`;
  }
}

/**
 * Resolves with the endpoint that reported kube-system/bootstrap complete. Endpoints are tried in order; a failing
 * one hands over to the next, and after a round without an answer it waits `retryMs`. Never rejects but on abort.
 */
export async function waitForBootstrapComplete(access: KubeconfigAccess, endpoints: BootstrapEndpoint[], options: WaitOptions): Promise<BootstrapEndpoint> {
  const opts: Required<WaitOptions> = { timeoutMs: 3_000, retryMs: 2_000, watchSeconds: 60, ...options };
  for (;;) {
    for (const endpoint of endpoints) {
      const outcome = await followEndpoint(access, endpoint, opts);
      if (outcome === true) return endpoint;
      opts.onDetail(outcome);
    }
    await sleep(opts.retryMs, opts.signal);
  }
}

/**
 * The hosts a cluster's kubeconfig may point the dashboard at: the cluster's own API addresses (its VIPs and node
 * IPs, `api.` and `api-int.<name>.<baseDomain>`), plus TRIPOD_KUBE_API_ALLOWED_HOSTS (comma-separated, for an API
 * reached through another address, e.g. a floating IP). Anything else would let a tenant make the dashboard probe
 * internal services.
 */
export function clusterApiHosts(spec: { name: string; baseDomain: string }, plan: { ports: { fixedIp: string }[] }, env: Record<string, string | undefined> = process.env): Set<string> {
  const extra = (env.TRIPOD_KUBE_API_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
  const names = ["api", "api-int"].map((p) => `${p}.${spec.name}.${spec.baseDomain}`.toLowerCase());
  return new Set([...plan.ports.map((p) => p.fixedIp), ...names, ...extra]);
}

/** Why the dashboard will not fetch this server URL, or null when it is one of the allowed hosts over https. */
export function kubeApiServerProblem(server: string, allowed: ReadonlySet<string>): string | null {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return `kubeconfig server ${server} is not a URL`;
  }
  if (url.protocol !== "https:") return `kubeconfig server ${server} is not https`;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (!allowed.has(host)) return `kubeconfig server ${url.host} is not one of this cluster's API addresses (its VIPs, node IPs or api.<name>.<baseDomain>)`;
  return null;
}
