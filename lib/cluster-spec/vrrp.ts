// VRRP router IDs are allocated by Tripod, not derived from the cluster name: OpenShift's Fletcher-8 derivation
// has ~238 values and collides between tenants sharing one Public network (unicast or not, a VRID clash makes
// keepalived drop the other cluster's adverts as misconfigured).

export const VRRP_ID_MIN = 1;
export const VRRP_ID_MAX = 255;

export class VrrpIdsExhaustedError extends Error {
  readonly name = "VrrpIdsExhaustedError";
  constructor(readonly free: number, needed = 2, network = "Public") {
    super(`only ${free} VRRP router id${free === 1 ? "" : "s"} left on this ${network} network, ${needed} ${needed === 1 ? "is" : "are"} needed`);
  }
}

/** The two lowest router IDs not in `taken` (IDs used by the other clusters on the same Public network). */
export function allocateVrrpIds(taken: number[]): { api: number; ingress: number } {
  const used = new Set(taken);
  const free: number[] = [];
  for (let id = VRRP_ID_MIN; id <= VRRP_ID_MAX && free.length < 2; id++) if (!used.has(id)) free.push(id);
  if (free.length < 2) throw new VrrpIdsExhaustedError(free.length);
  return { api: free[0], ingress: free[1] };
}

/** One router id not in `taken` (the internal API VIP's, unique on the Cluster network). */
export function allocateVrrpId(taken: number[]): number {
  const used = new Set(taken);
  for (let id = VRRP_ID_MIN; id <= VRRP_ID_MAX; id++) if (!used.has(id)) return id;
  throw new VrrpIdsExhaustedError(0, 1, "Cluster");
}
