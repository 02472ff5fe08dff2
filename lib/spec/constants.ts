export const NODE_KEYS = ["bootstrap", "master0", "master1", "master2"] as const;
export type NodeKey = (typeof NODE_KEYS)[number];

/** NIC order on every node: the Nova server is created with its ports in this order. */
export const NETWORK_ROLES = ["outbound", "cluster", "management", "public"] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

export const DEFAULT_INTERFACES: Record<NetworkRole, string> = {
  outbound: "ens3",
  cluster: "ens4",
  management: "ens5",
  public: "ens6",
};
