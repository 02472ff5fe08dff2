export type Direction = "ingress" | "egress";
export type EtherType = "IPv4" | "IPv6";

export interface SecurityGroupRule {
  id: string;
  securityGroupId: string;
  direction: Direction;
  ethertype: EtherType;
  /** Name ("tcp", "udp", "icmp", "vrrp") or number as a string ("112"); null for any protocol. */
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId: string | null;
  description: string;
}

interface RawRule {
  id: string;
  security_group_id: string;
  direction: Direction;
  ethertype: EtherType;
  protocol?: string | null;
  port_range_min?: number | null;
  port_range_max?: number | null;
  remote_ip_prefix?: string | null;
  remote_group_id?: string | null;
  description?: string;
}

export function toSecurityGroupRule(raw: Record<string, unknown>): SecurityGroupRule {
  const r = raw as unknown as RawRule;
  return {
    id: r.id,
    securityGroupId: r.security_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    protocol: r.protocol ?? null,
    portRangeMin: r.port_range_min ?? null,
    portRangeMax: r.port_range_max ?? null,
    remoteIpPrefix: r.remote_ip_prefix ?? null,
    remoteGroupId: r.remote_group_id ?? null,
    description: r.description ?? "",
  };
}
