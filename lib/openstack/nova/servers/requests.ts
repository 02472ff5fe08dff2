import { createOrAdopt, type Adopted } from "../../adopt";
import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { isNotFound, OpenStackError } from "../../errors";
import { commaList } from "../../query";
import { atLeast, computeRequest, microversion, withMicroversion } from "../versions/requests";
import { listAll } from "../../pagination";
import { pollUntil, type PollOpts } from "../../poll";
import { hasMetadata, ServerStatus, toServer, type Server } from "./results";
import { serverActionUrl, serversDetailUrl, serverUrl, serversUrl } from "./urls";

export interface CreateServerOpts {
  /** With metadata, identifies the server when a create's answer is lost (adopted instead of booted twice). */
  name: string;
  imageId: string;
  flavorId: string;
  /** Pre-created Neutron ports, in NIC order (the first becomes eth0/ens3). */
  portIds: string[];
  /** Raw user data; base64-encoded here (Nova limits the encoded form to 65535 bytes). */
  userData?: string | Buffer;
  metadata?: Record<string, string>;
  /** Server tags (sent when the negotiated microversion is 2.52 or later; list filters use them from 2.26). */
  tags?: string[];
  serverGroupId?: string;
  availabilityZone?: string;
  keyName?: string;
  configDrive?: boolean;
  adoptExisting?: boolean;
}

export function toServerCreateBody(o: CreateServerOpts, negotiated: string): Record<string, unknown> {
  const server: Record<string, unknown> = {
    name: o.name,
    imageRef: o.imageId,
    flavorRef: o.flavorId,
    networks: o.portIds.map((port) => ({ port })),
  };
  if (o.userData !== undefined) server.user_data = Buffer.from(o.userData).toString("base64");
  if (o.metadata) server.metadata = o.metadata;
  if (o.tags && o.tags.length > 0 && atLeast(negotiated, "2.52")) server.tags = o.tags;
  if (o.availabilityZone) server.availability_zone = o.availabilityZone;
  if (o.keyName) server.key_name = o.keyName;
  if (o.configDrive !== undefined) server.config_drive = o.configDrive;
  return { server, ...(o.serverGroupId ? { "os:scheduler_hints": { group: o.serverGroupId } } : {}) };
}

export interface ListServersOpts {
  /** Exact name (Nova's filter is a regular expression; this one is anchored and escaped). */
  name?: string;
  /** Names starting with this (e.g. a cluster's infra id): one listing for all of a cluster's servers. */
  namePrefix?: string;
  /** Client-side: every pair must be in the server's metadata. */
  metadata?: Record<string, string>;
  /** Server tags (2.26+): all of / any of. */
  tags?: string[];
  tagsAny?: string[];
  status?: string;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
export const exactNameRegex = (name: string) => `^${escapeRegex(name)}$`;

function nameFilter(o: ListServersOpts): string | undefined {
  if (o.name !== undefined) return exactNameRegex(o.name);
  return o.namePrefix === undefined ? undefined : `^${escapeRegex(o.namePrefix)}`;
}

export function toServerListQuery(o: ListServersOpts) {
  return { name: nameFilter(o), tags: commaList(o.tags), "tags-any": commaList(o.tagsAny), status: o.status };
}

export async function list(session: Session, opts: ListServersOpts = {}, call: CallOptions = {}): Promise<Server[]> {
  const req = await withMicroversion(session, { ...call, method: "GET", path: serversDetailUrl(), query: toServerListQuery(opts) });
  const raw = await listAll<Record<string, unknown>>(session, req, "servers");
  return raw.map(toServer).filter((s) => hasMetadata(s, opts.metadata));
}

export async function get(session: Session, id: string, call: CallOptions = {}): Promise<Server> {
  const res = await computeRequest(session, { ...call, method: "GET", path: serverUrl(id) });
  return toServer((res.data as { server: Record<string, unknown> }).server);
}

/**
 * Boots a server on pre-created ports. Nova answers a create with the id only; the server is returned as requested
 * (status BUILD) without reading it back — the wait for ACTIVE reads it anyway.
 */
export async function create(session: Session, opts: CreateServerOpts, call: CallOptions = {}): Promise<Adopted<Server>> {
  const negotiated = await microversion(session, call);
  return createOrAdopt(session, {
    ...call,
    service: "compute",
    describe: `server ${opts.name}`,
    adoptExisting: opts.adoptExisting,
    create: async () => {
      const res = await computeRequest(session, { ...call, method: "POST", path: serversUrl(), json: toServerCreateBody(opts, negotiated) });
      const { id } = (res.data as { server: { id: string } }).server;
      return toServer({ id, name: opts.name, status: ServerStatus.Build, metadata: opts.metadata, tags: atLeast(negotiated, "2.52") ? opts.tags : [] });
    },
    find: () => list(session, { name: opts.name, metadata: opts.metadata }, call),
  });
}

/** True if deleted now, false if it was already gone. Deletion is asynchronous: see waitForDeleted. */
export function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "compute", serverUrl(id), call);
}

function failed(server: Server): OpenStackError {
  return new OpenStackError(
    { kind: "ResourceFailed", service: "compute", method: "GET", url: serverUrl(server.id), openstackMessage: server.fault?.message },
    `Server ${server.name} (${server.id}) went to ERROR: ${server.fault?.message ?? "no fault reported"}`,
  );
}

/** Polls until the server is ACTIVE; a server in ERROR ends the wait with a ResourceFailed carrying Nova's fault. */
export async function waitForActive(session: Session, id: string, opts: PollOpts = {}): Promise<Server> {
  let last = "";
  return pollUntil(
    session,
    async () => {
      const server = await get(session, id, opts);
      if (server.status === ServerStatus.Error) throw failed(server);
      last = server.status;
      return server.status === ServerStatus.Active ? server : undefined;
    },
    () => `Server ${id} not ACTIVE (still ${last})`,
    opts,
  );
}

/** Polls until Nova answers 404 for the server. */
export async function waitForDeleted(session: Session, id: string, opts: PollOpts = {}): Promise<void> {
  let last = "";
  await pollUntil(
    session,
    async () => {
      try {
        last = (await get(session, id, opts)).status;
        return undefined;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    },
    () => `Server ${id} not gone (still ${last})`,
    opts,
  );
}

/**
 * Polls ONE listing (`filter`: the cluster's name prefix or tag) per round until every server of `ids` is ACTIVE,
 * whatever their number; one in ERROR ends the wait. Returns that last listing (every server the filter matched:
 * the caller sees duplicates without another call).
 */
export async function waitForAllActive(session: Session, ids: readonly string[], filter: ListServersOpts, opts: PollOpts = {}): Promise<Server[]> {
  let pending = [...ids];
  let seen = new Map<string, Server>();
  return pollUntil(
    session,
    async () => {
      const listing = await list(session, filter, opts);
      seen = new Map(listing.map((s) => [s.id, s]));
      const error = ids.map((id) => seen.get(id)).find((s) => s?.status === ServerStatus.Error);
      if (error) throw failed(error);
      pending = ids.filter((id) => seen.get(id)?.status !== ServerStatus.Active);
      return pending.length === 0 ? listing : undefined;
    },
    () => `Servers not ACTIVE: ${pending.map((id) => `${id} (${seen.get(id)?.status ?? "not listed"})`).join(", ")}`,
    opts,
  );
}

/** Polls ONE listing per round until none of `ids` is listed any more. */
export async function waitForAllDeleted(session: Session, ids: readonly string[], filter: ListServersOpts, opts: PollOpts = {}): Promise<void> {
  let left: Server[] = [];
  await pollUntil(
    session,
    async () => {
      left = (await list(session, filter, opts)).filter((s) => ids.includes(s.id));
      return left.length === 0 ? true : undefined;
    },
    () => `Servers not gone: ${left.map((s) => `${s.name} (${s.status})`).join(", ")}`,
    opts,
  );
}

/** The last `length` lines of the console log (a read, sent as a POST action, so safe to retry). */
export async function consoleOutput(session: Session, id: string, opts: { length?: number } = {}, call: CallOptions = {}): Promise<string> {
  const res = await computeRequest(session, {
    ...call,
    method: "POST",
    path: serverActionUrl(id),
    json: { "os-getConsoleOutput": opts.length === undefined ? {} : { length: opts.length } },
    idempotent: true,
  });
  return (res.data as { output: string }).output;
}
