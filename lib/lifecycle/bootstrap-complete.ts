import https from "node:https";
import axios, { isAxiosError, type AxiosInstance } from "axios";
import { parse as parseYaml } from "yaml";

// What `openshift-install wait-for bootstrap-complete` waits for: the API answers /readyz through the API VIP,
// and bootkube has written the kube-system/bootstrap config map with status "complete".

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

interface KubeconfigDoc {
  "current-context"?: string;
  contexts?: { name: string; context: { cluster: string; user: string } }[];
  clusters?: { name: string; cluster: { server?: string; "certificate-authority-data"?: string; "insecure-skip-tls-verify"?: boolean } }[];
  users?: { name: string; user: { "client-certificate-data"?: string; "client-key-data"?: string; token?: string } }[];
}

const b64 = (v: string | undefined) => (v ? Buffer.from(v, "base64").toString("utf8") : undefined);

/** The current context's server and credentials, from the installer's auth/kubeconfig (inline data only). */
export function parseKubeconfig(text: string): KubeconfigAccess {
  let doc: KubeconfigDoc;
  try {
    doc = parseYaml(text) as KubeconfigDoc;
  } catch (error) {
    throw new KubeconfigError(`kubeconfig is not valid YAML: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== "object") throw new KubeconfigError("kubeconfig is empty");
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

export interface BootstrapProbe {
  apiReady: boolean;
  bootstrapStatus: string | null; // the config map's data.status, null while it does not exist
  detail: string;
}

export function isBootstrapComplete(probe: BootstrapProbe): boolean {
  return probe.apiReady && probe.bootstrapStatus === "complete";
}

function kubeClient(access: KubeconfigAccess, timeoutMs: number): AxiosInstance {
  return axios.create({
    baseURL: access.server,
    timeout: timeoutMs,
    validateStatus: () => true,
    headers: access.token ? { Authorization: `Bearer ${access.token}` } : {},
    httpsAgent: new https.Agent({
      ca: access.caPem,
      cert: access.clientCertPem,
      key: access.clientKeyPem,
      rejectUnauthorized: !access.insecureSkipTlsVerify,
      keepAlive: false,
    }),
  });
}

/** One probe of the API; every failure becomes a detail sentence, never an exception. */
export async function probeBootstrap(access: KubeconfigAccess, signal?: AbortSignal, timeoutMs = 5_000): Promise<BootstrapProbe> {
  const client = kubeClient(access, timeoutMs);
  try {
    const readyz = await client.get<string>("/readyz", { signal, responseType: "text" });
    if (readyz.status !== 200) return { apiReady: false, bootstrapStatus: null, detail: `/readyz answered ${readyz.status}` };
    const cm = await client.get<{ data?: { status?: string } }>("/api/v1/namespaces/kube-system/configmaps/bootstrap", { signal });
    if (cm.status === 404) return { apiReady: true, bootstrapStatus: null, detail: "API ready; bootstrap config map not yet written" };
    if (cm.status !== 200) return { apiReady: true, bootstrapStatus: null, detail: `bootstrap config map: HTTP ${cm.status}` };
    const status = cm.data?.data?.status ?? null;
    return { apiReady: true, bootstrapStatus: status, detail: `bootstrap config map status: ${status ?? "(none)"}` };
  } catch (error) {
    const reason = isAxiosError(error) ? (error.code ?? error.message) : (error as Error).message;
    return { apiReady: false, bootstrapStatus: null, detail: `API unreachable at ${access.server}: ${reason}` };
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
