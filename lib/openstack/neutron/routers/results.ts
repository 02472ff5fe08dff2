export interface Router {
  id: string;
  name: string;
  status: string;
  /** Neutron shows `distributed` (DVR) only to admins by default: undefined when the policy hides it. */
  distributed?: boolean;
  /** High availability (L3 HA), likewise admin-only by default. */
  ha?: boolean;
  externalNetworkId: string | null;
}

interface RawRouter {
  id: string;
  name?: string;
  status?: string;
  distributed?: boolean;
  ha?: boolean;
  external_gateway_info?: { network_id?: string } | null;
}

export function toRouter(raw: Record<string, unknown>): Router {
  const r = raw as unknown as RawRouter;
  return {
    id: r.id,
    name: r.name ?? "",
    status: r.status ?? "",
    distributed: r.distributed,
    ha: r.ha,
    externalNetworkId: r.external_gateway_info?.network_id ?? null,
  };
}
