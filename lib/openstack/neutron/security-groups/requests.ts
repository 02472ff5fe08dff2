import type { Adopted } from "../../adopt";
import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { getResource, listResources } from "../collection";
import { createNamedTagged, createNamedTaggedAll } from "../create";
import { toTagQuery, type TagFilters } from "../tags/requests";
import { toSecurityGroup, type SecurityGroup } from "./results";
import { securityGroupsUrl, securityGroupUrl } from "./urls";

export interface CreateSecurityGroupOpts {
  /** Identifies the group when a create's answer is lost (adopted by name instead of created twice). */
  name: string;
  description?: string;
  tags?: string[];
  adoptExisting?: boolean;
}

export interface CreateSecurityGroupsOpts {
  /** Neutron takes no tags in a security group's POST: one PUT per group right after. */
  tags?: string[];
  adoptExisting?: boolean;
  /** Tag PUTs in flight at once. */
  concurrency?: number;
}

export interface ListSecurityGroupsOpts extends TagFilters {
  ids?: string[];
  name?: string;
}

export function toSecurityGroupListQuery(o: ListSecurityGroupsOpts) {
  return { ...toTagQuery(o), id: o.ids, name: o.name };
}

const groupBody = (o: { name: string; description?: string }) => ({ name: o.name, ...(o.description !== undefined ? { description: o.description } : {}) });

export function create(session: Session, opts: CreateSecurityGroupOpts, call: CallOptions = {}): Promise<Adopted<SecurityGroup>> {
  return createNamedTagged(session, {
    ...call,
    collection: "security-groups",
    envelope: "security_group",
    body: groupBody(opts),
    identity: {},
    tags: opts.tags,
    adoptExisting: opts.adoptExisting,
    toResource: toSecurityGroup,
  });
}

/** All the groups in one bulk POST; a lost answer is settled by one listing by name. In the order of `groups`. */
export function createAll(
  session: Session,
  groups: { name: string; description?: string }[],
  opts: CreateSecurityGroupsOpts = {},
  call: CallOptions = {},
): Promise<Adopted<SecurityGroup>[]> {
  if (groups.length === 0) return Promise.resolve([]);
  return createNamedTaggedAll(session, {
    ...call,
    collection: "security-groups",
    envelope: "security_group",
    bodies: groups.map(groupBody),
    identity: {},
    tags: opts.tags,
    adoptExisting: opts.adoptExisting,
    concurrency: opts.concurrency,
    toResource: toSecurityGroup,
  });
}

export function get(session: Session, id: string, call: CallOptions = {}): Promise<SecurityGroup> {
  return getResource(session, securityGroupUrl(id), "security_group", toSecurityGroup, call);
}

export function list(session: Session, opts: ListSecurityGroupsOpts = {}, call: CallOptions = {}): Promise<SecurityGroup[]> {
  return listResources(session, securityGroupsUrl(), "security_groups", toSecurityGroupListQuery(opts), toSecurityGroup, call);
}

/** True if deleted now, false if already gone. A group still used by a port answers 409 (isConflict). */
export function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "network", securityGroupUrl(id), call);
}
