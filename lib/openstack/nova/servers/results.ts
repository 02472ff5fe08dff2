export const ServerStatus = { Active: "ACTIVE", Build: "BUILD", Error: "ERROR", Shutoff: "SHUTOFF", Deleted: "DELETED" } as const;

export interface ServerAddress {
  addr: string;
  version: 4 | 6;
  macAddr?: string;
}

export interface Server {
  id: string;
  name: string;
  status: string;
  taskState: string | null;
  metadata: Record<string, string>;
  /** By network name, as Nova reports them. */
  addresses: Record<string, ServerAddress[]>;
  tags: string[];
  /** Present when the server is in ERROR. */
  fault?: { code?: number; message: string };
  flavorId?: string;
  imageId?: string;
  created: string;
}

interface RawServer {
  id: string;
  name?: string;
  status?: string;
  "OS-EXT-STS:task_state"?: string | null;
  metadata?: Record<string, string>;
  addresses?: Record<string, { addr: string; version: 4 | 6; "OS-EXT-IPS-MAC:mac_addr"?: string }[]>;
  tags?: string[];
  fault?: { code?: number; message: string };
  flavor?: { id?: string; original_name?: string };
  image?: { id?: string } | string;
  created?: string;
}

export function toServer(raw: Record<string, unknown>): Server {
  const s = raw as unknown as RawServer;
  return {
    id: s.id,
    name: s.name ?? "",
    status: s.status ?? "",
    taskState: s["OS-EXT-STS:task_state"] ?? null,
    metadata: s.metadata ?? {},
    addresses: Object.fromEntries(
      Object.entries(s.addresses ?? {}).map(([net, addrs]) => [
        net,
        addrs.map((a) => ({ addr: a.addr, version: a.version, macAddr: a["OS-EXT-IPS-MAC:mac_addr"] })),
      ]),
    ),
    tags: s.tags ?? [],
    fault: s.fault,
    // Since 2.47 the flavor is embedded (original_name) instead of linked by id.
    flavorId: s.flavor?.id ?? s.flavor?.original_name,
    imageId: typeof s.image === "object" ? s.image?.id : undefined,
    created: s.created ?? "",
  };
}

/** All the given metadata pairs are on the server (servers are filtered on metadata client-side). */
export function hasMetadata(server: Server, wanted: Record<string, string> | undefined): boolean {
  return Object.entries(wanted ?? {}).every(([k, v]) => server.metadata[k] === v);
}
