export const NODE_KEYS = ["bootstrap", "master0", "master1", "master2"] as const;
export type NodeKey = (typeof NODE_KEYS)[number];

/** The four networks of a node, in Tripod's NIC order (the `tripod` preset of NIC_ORDERS). */
export const NETWORK_ROLES = ["outbound", "cluster", "management", "public"] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

/**
 * NIC order presets: the order in which the Nova server gets its ports. The guest's kernel names the NICs in that
 * order (virtio PCI slots 3, 4, 5, 6 → ens3..ens6), so the interface names of a spec must follow it.
 * `predecessor` is the layout of the seed's predecessor (Cluster ens3, Public ens4, Management ens5, Outbound ens6).
 */
export const NIC_ORDERS = {
  tripod: NETWORK_ROLES,
  predecessor: ["cluster", "public", "management", "outbound"],
} as const satisfies Record<string, readonly NetworkRole[]>;
export type NicOrder = keyof typeof NIC_ORDERS;
export const NIC_ORDER_NAMES = Object.keys(NIC_ORDERS) as [NicOrder, ...NicOrder[]];

/** The first NIC's number in a guest's predictable interface names (ens3 on KVM's PCI layout). */
export const FIRST_NIC_NUMBER = 3;

/** Interface names of a preset: ens3, ens4, … in attachment order. */
export function defaultInterfaces(order: NicOrder): Record<NetworkRole, string> {
  return Object.fromEntries(NIC_ORDERS[order].map((role, index) => [role, `ens${FIRST_NIC_NUMBER + index}`])) as Record<NetworkRole, string>;
}
