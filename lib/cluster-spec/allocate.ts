import { NODE_KEYS, type NodeKey } from "@/lib/domain";
import { type Ipv4Cidr, intToIpv4, ipv4ToInt } from "./net";

export type AddressRange = { start: string; end: string };

/**
 * Up to `count` free host addresses of the CIDR, ascending from its bottom, skipping the network/broadcast
 * addresses and `taken`; outside the DHCP allocation pools only, or (`poolsToo`) then inside them as well.
 */
export function freeAddresses(cidr: Ipv4Cidr, pools: AddressRange[], taken: readonly string[], count: number, poolsToo = false): string[] {
  const used = new Set(taken.map(ipv4ToInt));
  const poolRanges = pools.map((pool) => ({ start: ipv4ToInt(pool.start), end: ipv4ToInt(pool.end) }));
  const firstHost = cidr.network + 1;
  const lastHost = cidr.network + cidr.size - 2;
  const picked: number[] = [];
  const take = (address: number) => {
    if (!used.has(address)) {
      picked.push(address);
      used.add(address);
    }
  };
  // Outside the pools: jump over each pool instead of stepping through it (a /8 pool is 16M addresses).
  for (let address = firstHost; address <= lastHost && picked.length < count; address++) {
    const pool = poolRanges.find((range) => address >= range.start && address <= range.end);
    if (pool) address = pool.end;
    else take(address);
  }
  // Then inside them, still ascending; `used` guarantees no repeats.
  for (let address = firstHost; poolsToo && address <= lastHost && picked.length < count; address++) {
    if (poolRanges.some((range) => address >= range.start && address <= range.end)) take(address);
  }
  return picked.map(intToIpv4);
}

/**
 * Fills the node IPs that the spec leaves out, as a pure function of the network: ascending from the bottom of
 * the CIDR, skipping the `reserved` addresses (gateway, VIPs, other ports) and the IPs already given, and taking
 * addresses outside the DHCP allocation pools first (Neutron hands pool addresses to other ports, the UPI
 * playbooks likewise keep the low addresses out of DHCP). Returns null when the subnet has no room left.
 */
export function allocateNodeIps(
  cidr: Ipv4Cidr,
  pools: AddressRange[],
  reserved: string[],
  given: Partial<Record<NodeKey, string>>,
): Record<NodeKey, string> | null {
  const missing = NODE_KEYS.filter((key) => given[key] === undefined);
  const taken = [...reserved, ...Object.values(given)].filter((ip): ip is string => ip !== undefined);
  const picked = freeAddresses(cidr, pools, taken, missing.length, true);
  if (picked.length < missing.length) return null;
  const result = { ...given } as Record<NodeKey, string>;
  missing.forEach((key, index) => (result[key] = picked[index]));
  return result;
}
