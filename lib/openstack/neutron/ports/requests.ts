import type { Adopted } from "../../adopt";
import type { CallOptions, Session } from "../../client";
import { mapLimit } from "../../concurrency";
import { deleteIfExists } from "../../delete";
import { getResource, listResources } from "../collection";
import { createNamedTagged, createNamedTaggedAll } from "../create";
import { capabilities } from "../extensions/requests";
import { toTagQuery, type TagFilters } from "../tags/requests";
import { toPort, type AddressPair, type Port } from "./results";
import { portsUrl, portUrl } from "./urls";

/** A fixed IP request: a subnet, an address, or both. Sent in order; Neutron does not keep that order in its answers. */
export interface FixedIpRequest {
  subnetId?: string;
  ipAddress?: string;
}

/** `undefined` leaves a field alone; an empty array clears it. */
export interface UpdatePortOpts {
  /** With a name, a create whose answer is lost is adopted (by name + network) instead of repeated. */
  name?: string;
  description?: string;
  fixedIps?: FixedIpRequest[];
  allowedAddressPairs?: AddressPair[];
  securityGroups?: string[];
  portSecurityEnabled?: boolean;
  deviceId?: string;
  deviceOwner?: string;
}

/** What one port of a bulk create is made of. */
export interface PortBody extends UpdatePortOpts {
  /** Identifies the port when a create's answer is lost (adopted by name + network instead of created twice). */
  name: string;
  networkId: string;
  macAddress?: string;
  adminStateUp?: boolean;
}

export interface CreatePortsOpts {
  /** In the POST body where the cloud has tag-ports-during-bulk-creation, else one PUT per port right after. */
  tags?: string[];
  /** Adopt ports with the same name on the same network before creating (an "ensure"). */
  adoptExisting?: boolean;
  /** Tag and address-pair PUTs in flight at once. */
  concurrency?: number;
}

export interface CreatePortOpts extends PortBody, Omit<CreatePortsOpts, "concurrency"> {}

export interface ListPortsOpts extends TagFilters {
  ids?: string[];
  name?: string;
  /** One network, or any of several (one listing). */
  networkId?: string | string[];
  deviceId?: string;
  deviceOwner?: string;
  status?: string;
}

const fixedIpsWire = (ips: FixedIpRequest[] | undefined) =>
  ips?.map((ip) => ({ ...(ip.subnetId ? { subnet_id: ip.subnetId } : {}), ...(ip.ipAddress ? { ip_address: ip.ipAddress } : {}) }));

const pairsWire = (pairs: AddressPair[] | undefined) =>
  pairs?.map((p) => ({ ip_address: p.ipAddress, ...(p.macAddress ? { mac_address: p.macAddress } : {}) }));

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function toPortUpdateBody(o: UpdatePortOpts): Record<string, unknown> {
  return withoutUndefined({
    name: o.name,
    description: o.description,
    fixed_ips: fixedIpsWire(o.fixedIps),
    allowed_address_pairs: pairsWire(o.allowedAddressPairs),
    security_groups: o.securityGroups,
    port_security_enabled: o.portSecurityEnabled,
    device_id: o.deviceId,
    device_owner: o.deviceOwner,
  });
}

export function toPortCreateBody(o: PortBody): Record<string, unknown> {
  return withoutUndefined({
    ...toPortUpdateBody(o),
    network_id: o.networkId,
    mac_address: o.macAddress,
    admin_state_up: o.adminStateUp,
  });
}

export function toPortListQuery(o: ListPortsOpts) {
  return {
    ...toTagQuery(o),
    id: o.ids,
    name: o.name,
    network_id: o.networkId,
    device_id: o.deviceId,
    device_owner: o.deviceOwner,
    status: o.status,
  };
}

export async function create(session: Session, opts: CreatePortOpts, call: CallOptions = {}): Promise<Adopted<Port>> {
  return createNamedTagged(session, {
    ...call,
    collection: "ports",
    envelope: "port",
    body: toPortCreateBody(opts),
    identity: { network_id: opts.networkId },
    tags: opts.tags,
    tagsInBody: opts.tags && (await capabilities(session, call)).tagPortsDuringBulkCreation,
    adoptExisting: opts.adoptExisting,
    toResource: toPort,
  });
}

const pairSet = (pairs: readonly AddressPair[] | undefined) => [...new Set((pairs ?? []).map((p) => p.ipAddress))].sort().join(",");

/**
 * All the ports in one bulk POST (atomic in Neutron); a lost answer is settled by one listing (names + networks).
 * Results come back in the order of `ports`. Neutron Zed's bulk create drops allowed-address pairs (ML2 builds the
 * port without them), and an adopted port may lack them: a port without its requested pairs gets one PUT.
 */
export async function createAll(session: Session, ports: PortBody[], opts: CreatePortsOpts = {}, call: CallOptions = {}): Promise<Adopted<Port>[]> {
  if (ports.length === 0) return [];
  const made = await createNamedTaggedAll(session, {
    ...call,
    collection: "ports",
    envelope: "port",
    bodies: ports.map(toPortCreateBody),
    identity: { network_id: [...new Set(ports.map((p) => p.networkId))] },
    tags: opts.tags,
    tagsInBody: opts.tags && (await capabilities(session, call)).tagPortsDuringBulkCreation,
    adoptExisting: opts.adoptExisting,
    concurrency: opts.concurrency,
    toResource: toPort,
  });
  const wrongPairs = ports.flatMap((p, i) => (p.allowedAddressPairs && pairSet(p.allowedAddressPairs) !== pairSet(made[i].resource.allowedAddressPairs) ? [i] : []));
  await mapLimit(wrongPairs, opts.concurrency ?? 1, async (i) => {
    const tags = made[i].resource.tags;
    made[i].resource = { ...(await update(session, made[i].resource.id, { allowedAddressPairs: ports[i].allowedAddressPairs }, call)), tags };
  });
  return made;
}

export function get(session: Session, id: string, call: CallOptions = {}): Promise<Port> {
  return getResource(session, portUrl(id), "port", toPort, call);
}

export function list(session: Session, opts: ListPortsOpts = {}, call: CallOptions = {}): Promise<Port[]> {
  return listResources(session, portsUrl(), "ports", toPortListQuery(opts), toPort, call);
}

export async function update(session: Session, id: string, opts: UpdatePortOpts, call: CallOptions = {}): Promise<Port> {
  const res = await session.request({ ...call, service: "network", method: "PUT", path: portUrl(id), json: { port: toPortUpdateBody(opts) } });
  return toPort((res.data as { port: Record<string, unknown> }).port);
}

/** Deletes the port; true if it was deleted now, false if it was already gone (404 counts as done). */
export async function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "network", portUrl(id), call);
}
