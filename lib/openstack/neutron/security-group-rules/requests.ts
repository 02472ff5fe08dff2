import type { Adopted } from "../../adopt";
import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { isConflict } from "../../errors";
import { listResources } from "../collection";
import { mapLimit } from "../../concurrency";
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
 * The rules of each security group in one bulk POST (Neutron takes a bulk of one group's rules only: "Only allowed
 * to update rules for one security profile at a time"; atomic: all or none), safe to repeat: a repeat of a request
 * that the cloud applied meets 409 SecurityGroupRuleExists, and one listing of the group's rules then says which (if
 * any) are still missing, which are sent again. Groups in parallel up to `concurrency`. Results in the order of `rules`.
 */
export async function createAll(session: Session, rules: CreateRuleOpts[], opts: { concurrency?: number } = {}, call: CallOptions = {}): Promise<Adopted<SecurityGroupRule>[]> {
  const got = new Map<CreateRuleOpts, Adopted<SecurityGroupRule>>();
  const groups = [...new Set(rules.map((r) => r.securityGroupId))];
  await mapLimit(groups, opts.concurrency ?? 1, async (group) => {
    const ofGroup = rules.filter((r) => r.securityGroupId === group);
    for (let round = 0; ; round++) {
      const missing = ofGroup.filter((r) => !got.has(r));
      if (missing.length === 0) return;
      try {
        const made = await postAll(session, {
          ...call,
          path: securityGroupRulesUrl(),
          envelope: "security_group_rule",
          plural: "security_group_rules",
          bodies: missing.map(toRuleCreateBody),
          idempotent: true,
        });
        if (made.length !== missing.length) throw new Error(`Neutron answered ${made.length} rules for ${missing.length} requested`);
        made.map(toSecurityGroupRule).forEach((rule, i) => got.set(missing[i], { resource: rule, created: true }));
      } catch (err) {
        if (!isConflict(err) || err.openstackCode !== "SecurityGroupRuleExists" || round > 0) throw err;
        const present = await list(session, { securityGroupId: group }, call);
        for (const r of missing) {
          const existing = present.find((p) => sameRule(p, r));
          if (existing) got.set(r, { resource: existing, created: false });
        }
      }
    }
  });
  return rules.map((r) => got.get(r)!);
}

export function list(session: Session, opts: { securityGroupId?: string | string[] } = {}, call: CallOptions = {}): Promise<SecurityGroupRule[]> {
  return listResources(session, securityGroupRulesUrl(), "security_group_rules", { security_group_id: opts.securityGroupId }, toSecurityGroupRule, call);
}

export function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "network", securityGroupRuleUrl(id), call);
}
