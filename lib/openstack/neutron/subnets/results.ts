export interface AllocationPool {
  start: string;
  end: string;
}

export interface Subnet {
  id: string;
  name: string;
  networkId: string;
  ipVersion: 4 | 6;
  cidr: string;
  gatewayIp: string | null;
  allocationPools: AllocationPool[];
  dnsNameservers: string[];
  enableDhcp: boolean;
  tags: string[];
}

interface RawSubnet {
  id: string;
  name?: string;
  network_id: string;
  ip_version: 4 | 6;
  cidr: string;
  gateway_ip?: string | null;
  allocation_pools?: AllocationPool[];
  dns_nameservers?: string[];
  enable_dhcp?: boolean;
  tags?: string[];
}

export function toSubnet(raw: Record<string, unknown>): Subnet {
  const s = raw as unknown as RawSubnet;
  return {
    id: s.id,
    name: s.name ?? "",
    networkId: s.network_id,
    ipVersion: s.ip_version,
    cidr: s.cidr,
    gatewayIp: s.gateway_ip ?? null,
    allocationPools: s.allocation_pools ?? [],
    dnsNameservers: s.dns_nameservers ?? [],
    enableDhcp: s.enable_dhcp ?? false,
    tags: s.tags ?? [],
  };
}
