// The lab's fixed addresses (TEST-NET-2, only inside the lab's namespaces) and names, shared by its scripts.
export const LAB = {
  prefix: process.env.TVLAB_PREFIX ?? "tvlab",
  state: process.env.TVLAB_STATE ?? "/run/tvlab",
  clusterName: "tvlab",
  /** named as Tripod names masters, so that the Ignition generator renders each one's files */
  nodes: { "master-0": "198.51.100.10", "master-1": "198.51.100.11", "master-2": "198.51.100.12" } as Record<string, string>,
  /** in the rendered peer lists only: the lab runs no bootstrap */
  bootstrapIp: "198.51.100.13",
  clientIp: "198.51.100.100",
  ingestPort: 8080,
  apiVip: "198.51.100.5",
  ingressVip: "198.51.100.7",
  vrids: { api: 51, ingress: 52 },
  /** agent settings for the lab: short snapshot interval and backoff ceiling, so tests stay short */
  agent: { snapshotIntervalS: 2, retryMaxS: 2, tick: 0.1 },
} as const;

export const NODE_NAMES = Object.keys(LAB.nodes);
export const ingestUrl = () => `http://${LAB.clientIp}:${LAB.ingestPort}/api/vrrp/ingest`;
export const labDbUrl = () => `file:${LAB.state}/lab.db`;
