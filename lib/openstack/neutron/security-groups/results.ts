import { toSecurityGroupRule, type SecurityGroupRule } from "../security-group-rules/results";

export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  projectId: string;
  /** Includes the two default egress rules Neutron adds to every new group. */
  rules: SecurityGroupRule[];
  tags: string[];
}

interface RawSecurityGroup {
  id: string;
  name?: string;
  description?: string;
  project_id?: string;
  tenant_id?: string;
  security_group_rules?: Record<string, unknown>[];
  tags?: string[];
}

export function toSecurityGroup(raw: Record<string, unknown>): SecurityGroup {
  const g = raw as unknown as RawSecurityGroup;
  return {
    id: g.id,
    name: g.name ?? "",
    description: g.description ?? "",
    projectId: g.project_id ?? g.tenant_id ?? "",
    rules: (g.security_group_rules ?? []).map(toSecurityGroupRule),
    tags: g.tags ?? [],
  };
}
