/** Limit -1 means unlimited. */
export interface QuotaUsage {
  limit: number;
  used: number;
  reserved: number;
}

/** Keyed by Neutron's resource names: port, network, subnet, security_group, security_group_rule, router, floatingip… */
export type QuotaDetails = Record<string, QuotaUsage>;

export function toQuotaDetails(raw: Record<string, { limit: number; used: number; reserved?: number }>): QuotaDetails {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, { limit: v.limit, used: v.used, reserved: v.reserved ?? 0 }]));
}

/** How many more can be created (Infinity when unlimited). */
export function headroom(q: QuotaUsage): number {
  return q.limit < 0 ? Infinity : Math.max(0, q.limit - q.used - q.reserved);
}
