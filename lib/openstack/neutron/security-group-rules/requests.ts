import type { Adopted } from "../../adopt";
import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { isConflict } from "../../errors";
import { listResources } from "../collection";
import { postAll } from "../create";
import { toSecurityGroupRule, type Direction, type EtherType, type SecurityGroupRule } from "./results";
import { securityGroupRulesUrl, securityGroupRuleUrl } from "./urls";

export interface CreateRuleOpts {
  securityGroupId: string;
  direction: Direction;
  ethertype?: EtherType;
  protocol?: string;
  portRangeMin?: number;
  portRangeMax?: number;
  remoteIpPrefix?: string;
  remoteGroupId?: string;
  description?: string;
}

export function toRuleCreateBody(o: CreateRuleOpts): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      security_group_id: o.securityGroupId,
      direction: o.direction,
      ethertype: o.ethertype ?? "IPv4",
      protocol: o.protocol,
      port_range_min: o.portRangeMin,
      port_range_max: o.portRangeMax,
      remote_ip_prefix: o.remoteIpPrefix,
      remote_group_id: o.remoteGroupId,
      description: o.description,
    }).filter(([, v]) => v !== undefined),
  );
}

// Neutron normalises what it stores (a /32 prefix, "0.0.0.0/0" for IPv4 "any"…), so an existing rule is matched on
// the fields that make rules duplicates in Neutron's own check.
export function sameRule(rule: SecurityGroupRule, o: CreateRuleOpts): boolean {
  const prefix = (p: string | null | undefined) => (p ? (p.includes("/") ? p : `${p}/${p.includes(":") ? 128 : 32}`) : null);
  const anyPrefix = (p: string | null) => (p === "0.0.0.0/0" || p === "::/0" ? null : p);
  return (
    rule.direction === o.direction &&
    rule.ethertype === (o.ethertype ?? "IPv4") &&
    (rule.protocol ?? null) === (o.protocol ?? null) &&
    rule.portRangeMin === (o.portRangeMin ?? null) &&
    rule.portRangeMax === (o.portRangeMax ?? o.portRangeMin ?? null) &&
    anyPrefix(prefix(rule.remoteIpPrefix)) === anyPrefix(prefix(o.remoteIpPrefix)) &&
    rule.remoteGroupId === (o.remoteGroupId ?? null)
  );
}

/**
 * Creates a rule; a duplicate (409 SecurityGroupRuleExists) counts as success and returns the existing rule.
 * That makes the POST safe to repeat, so it is retried like an idempotent request.
 */
export async function create(session: Session, opts: CreateRuleOpts, call: CallOptions = {}): Promise<Adopted<SecurityGroupRule>> {
  try {
    const res = await session.request({
      ...call,
      service: "network",
      method: "POST",
      path: securityGroupRulesUrl(),
      json: { security_group_rule: toRuleCreateBody(opts) },
      idempotent: true,
    });
    return { resource: toSecurityGroupRule((res.data as { security_group_rule: Record<string, unknown> }).security_group_rule), created: true };
  } catch (err) {
    if (!isConflict(err) || err.openstackCode !== "SecurityGroupRuleExists") throw err;
    const existing = (await list(session, { securityGroupId: opts.securityGroupId }, call)).find((r) => sameRule(r, opts));
    if (!existing) throw err;
    return { resource: existing, created: false };
  }
}

/**
 * Every rule in one bulk POST (atomic in Neutron: all or none), safe to repeat: a repeat of a request that the cloud
 * applied meets 409 SecurityGroupRuleExists, and one listing of the groups' rules then says which (if any) are
 * still missing, which are sent again. Results in the order of `rules`.
 */
export async function createAll(session: Session, rules: CreateRuleOpts[], opts: { concurrency?: number } = {}, call: CallOptions = {}): Promise<Adopted<SecurityGroupRule>[]> {
  const got = new Map<CreateRuleOpts, Adopted<SecurityGroupRule>>();
  for (let round = 0; ; round++) {
    const missing = rules.filter((r) => !got.has(r));
    if (missing.length === 0) return rules.map((r) => got.get(r)!);
    try {
      const made = await postAll(session, {
        ...call,
        path: securityGroupRulesUrl(),
        envelope: "security_group_rule",
        plural: "security_group_rules",
        bodies: missing.map(toRuleCreateBody),
        idempotent: true,
        concurrency: opts.concurrency,
      });
      made.map(toSecurityGroupRule).forEach((rule, i) => got.set(missing[i], { resource: rule, created: true }));
      if (made.length !== missing.length) throw new Error(`Neutron answered ${made.length} rules for ${missing.length} requested`);
    } catch (err) {
      if (!isConflict(err) || err.openstackCode !== "SecurityGroupRuleExists" || round > 0) throw err;
      const present = await list(session, { securityGroupId: [...new Set(missing.map((r) => r.securityGroupId))] }, call);
      for (const r of missing) {
        const existing = present.find((p) => p.securityGroupId === r.securityGroupId && sameRule(p, r));
        if (existing) got.set(r, { resource: existing, created: false });
      }
    }
  }
}

export function list(session: Session, opts: { securityGroupId?: string | string[] } = {}, call: CallOptions = {}): Promise<SecurityGroupRule[]> {
  return listResources(session, securityGroupRulesUrl(), "security_group_rules", { security_group_id: opts.securityGroupId }, toSecurityGroupRule, call);
}

export function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "network", securityGroupRuleUrl(id), call);
}
