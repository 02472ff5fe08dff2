export interface Network {
  id: string;
  name: string;
  status: string;
  subnets: string[];
  shared: boolean;
  external: boolean;
  mtu?: number;
  portSecurityEnabled?: boolean;
  tags: string[];
}

interface RawNetwork {
  id: string;
  name?: string;
  status?: string;
  subnets?: string[];
  shared?: boolean;
  "router:external"?: boolean;
  mtu?: number;
  port_security_enabled?: boolean;
  tags?: string[];
}

export function toNetwork(raw: Record<string, unknown>): Network {
  const n = raw as unknown as RawNetwork;
  return {
    id: n.id,
    name: n.name ?? "",
    status: n.status ?? "",
    subnets: n.subnets ?? [],
    shared: n.shared ?? false,
    external: n["router:external"] ?? false,
    mtu: n.mtu,
    portSecurityEnabled: n.port_security_enabled,
    tags: n.tags ?? [],
  };
}
