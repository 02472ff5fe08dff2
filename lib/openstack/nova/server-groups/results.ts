export type ServerGroupPolicy = "anti-affinity" | "soft-anti-affinity" | "affinity" | "soft-affinity";

export interface ServerGroup {
  id: string;
  name: string;
  /** From `policy` (2.64+) or the single entry of `policies` (before 2.64): one shape for callers. */
  policy: ServerGroupPolicy;
  /** 2.64+: e.g. { max_server_per_host: 1 } for anti-affinity. */
  rules: Record<string, number>;
  memberIds: string[];
}

interface RawServerGroup {
  id: string;
  name?: string;
  policy?: ServerGroupPolicy;
  policies?: ServerGroupPolicy[];
  rules?: Record<string, number>;
  members?: string[];
}

export function toServerGroup(raw: Record<string, unknown>): ServerGroup {
  const g = raw as unknown as RawServerGroup;
  return {
    id: g.id,
    name: g.name ?? "",
    policy: g.policy ?? g.policies?.[0] ?? "anti-affinity",
    rules: g.rules ?? {},
    memberIds: g.members ?? [],
  };
}
