// The lab's fixed addresses (TEST-NET-2, only inside the lab's namespaces) and names, shared by its scripts.
// Two modes (TVLAB_MODE): `vip` — three masters on the Public network (the VIP-health lab); `api` — the bootstrap
// and three masters on a Public and a Cluster network, with the API stand-ins, haproxy and the redirect monitor
// (the API path lab). 198.51.100.0/25 plays the Public network, 198.51.100.128/25 the Cluster network.
export const LAB = {
  prefix: process.env.TVLAB_PREFIX ?? "tvlab",
  state: process.env.TVLAB_STATE ?? "/run/tvlab",
  mode: (process.env.TVLAB_MODE ?? "vip") as "vip" | "api",
  clusterName: "tvlab",
  baseDomain: "lab.test",
  /** named as Tripod names masters, so that the Ignition generator renders each one's files */
  nodes: { "master-0": "198.51.100.10", "master-1": "198.51.100.11", "master-2": "198.51.100.12" } as Record<string, string>,
  /** the bootstrap's Public IP: a real node in the api mode, only in the rendered peer lists in the vip mode */
  bootstrapIp: "198.51.100.13",
  clusterIps: { bootstrap: "198.51.100.143", "master-0": "198.51.100.140", "master-1": "198.51.100.141", "master-2": "198.51.100.142" } as Record<string, string>,
  clientIp: "198.51.100.100",
  clientClusterIp: "198.51.100.200",
  ingestPort: 8080,
  apiVip: "198.51.100.5",
  ingressVip: "198.51.100.7",
  apiIntVip: "198.51.100.135",
  vrids: { api: 51, ingress: 52, apiInt: 53 },
  /** agent settings for the lab: short snapshot interval and backoff ceiling, so tests stay short */
  agent: { snapshotIntervalS: 2, retryMaxS: 2, tick: 0.1 },
} as const;

export const NODE_NAMES = Object.keys(LAB.nodes);
/** Nodes that run in the current mode: the masters, and in the api mode the bootstrap too. */
export const LAB_NODES = LAB.mode === "api" ? ["bootstrap", ...NODE_NAMES] : NODE_NAMES;
export const ingestUrl = () => `http://${LAB.clientIp}:${LAB.ingestPort}/api/vrrp/ingest`;
export const labDbUrl = () => `file:${LAB.state}/lab.db`;
export const apiServerName = () => `api.${LAB.clusterName}.${LAB.baseDomain}`;
