export interface FixedIp {
  subnetId: string;
  ipAddress: string;
}

export interface AddressPair {
  ipAddress: string;
  macAddress?: string;
}

/** A Neutron port. `fixedIps` come in Neutron's order, which is not the order they were requested in. */
export interface Port {
  id: string;
  name: string;
  description: string;
  networkId: string;
  projectId: string;
  status: string;
  macAddress: string;
  deviceId: string;
  deviceOwner: string;
  fixedIps: FixedIp[];
  allowedAddressPairs: AddressPair[];
  securityGroups: string[];
  /** Undefined when the port-security extension is not loaded. */
  portSecurityEnabled?: boolean;
  tags: string[];
  /**
   * `binding:host_id`: the compute host the port is bound to, null when it is not bound; undefined when the answer
   * has no such field (Neutron's default policy shows it to admins only).
   */
  bindingHost?: string | null;
}

export const PortStatus = { Active: "ACTIVE", Down: "DOWN", Build: "BUILD", Error: "ERROR" } as const;

interface RawPort {
  id: string;
  name?: string;
  description?: string;
  network_id: string;
  project_id?: string;
  tenant_id?: string;
  status?: string;
  mac_address?: string;
  device_id?: string;
  device_owner?: string;
  fixed_ips?: { subnet_id: string; ip_address: string }[];
  allowed_address_pairs?: { ip_address: string; mac_address?: string }[];
  security_groups?: string[];
  port_security_enabled?: boolean;
  tags?: string[];
  "binding:host_id"?: string;
}

export function toPort(raw: Record<string, unknown>): Port {
  const p = raw as unknown as RawPort;
  return {
    id: p.id,
    name: p.name ?? "",
    description: p.description ?? "",
    networkId: p.network_id,
    projectId: p.project_id ?? p.tenant_id ?? "",
    status: p.status ?? "",
    macAddress: p.mac_address ?? "",
    deviceId: p.device_id ?? "",
    deviceOwner: p.device_owner ?? "",
    fixedIps: (p.fixed_ips ?? []).map((f) => ({ subnetId: f.subnet_id, ipAddress: f.ip_address })),
    allowedAddressPairs: (p.allowed_address_pairs ?? []).map((a) => ({ ipAddress: a.ip_address, macAddress: a.mac_address })),
    securityGroups: p.security_groups ?? [],
    portSecurityEnabled: p.port_security_enabled,
    tags: p.tags ?? [],
    bindingHost: p["binding:host_id"] === undefined ? undefined : p["binding:host_id"] || null,
  };
}
