import { createOrAdopt, type Adopted } from "../../adopt";
import { sleep } from "@/lib/util/sleep";
import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { isNotFound, OpenStackError } from "../../errors";
import { commaList } from "../../query";
import { atLeast, computeRequest, microversion, withMicroversion } from "../versions/requests";
import { listAll } from "../../pagination";
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
  /** Client-side: every pair must be in the server's metadata. */
  metadata?: Record<string, string>;
  /** Server tags (2.26+): all of / any of. */
  tags?: string[];
  tagsAny?: string[];
  status?: string;
}

export const exactNameRegex = (name: string) => `^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;

export function toServerListQuery(o: ListServersOpts) {
  return { name: o.name === undefined ? undefined : exactNameRegex(o.name), tags: commaList(o.tags), "tags-any": commaList(o.tagsAny), status: o.status };
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

/** Boots a server on pre-created ports; returns it as Nova shows it right after the create (usually BUILD). */
export async function create(session: Session, opts: CreateServerOpts, call: CallOptions = {}): Promise<Adopted<Server>> {
  const negotiated = await microversion(session, call);
  return createOrAdopt(session, {
    ...call,
    service: "compute",
    describe: `server ${opts.name}`,
    adoptExisting: opts.adoptExisting,
    create: async () => {
      const res = await computeRequest(session, { ...call, method: "POST", path: serversUrl(), json: toServerCreateBody(opts, negotiated) });
      return get(session, (res.data as { server: { id: string } }).server.id, call);
    },
    find: () => list(session, { name: opts.name, metadata: opts.metadata }, call),
  });
}

/** True if deleted now, false if it was already gone. Deletion is asynchronous: see waitForDeleted. */
export function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "compute", serverUrl(id), call);
}

export interface WaitOpts extends CallOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Polls until the server is ACTIVE; a server in ERROR ends the wait with a ResourceFailed carrying Nova's fault. */
export async function waitForActive(session: Session, id: string, opts: WaitOpts = {}): Promise<Server> {
  const deadline = session.now() + (opts.timeoutMs ?? 300_000);
  for (;;) {
    const server = await get(session, id, opts);
    if (server.status === ServerStatus.Active) return server;
    if (server.status === ServerStatus.Error) {
      throw new OpenStackError(
        { kind: "ResourceFailed", service: "compute", method: "GET", url: serverUrl(id), openstackMessage: server.fault?.message },
        `Server ${server.name} (${id}) went to ERROR: ${server.fault?.message ?? "no fault reported"}`,
      );
    }
    await pause(session, deadline, opts, `Server ${id} not ACTIVE (still ${server.status})`);
  }
}

/** Polls until Nova answers 404 for the server. */
export async function waitForDeleted(session: Session, id: string, opts: WaitOpts = {}): Promise<void> {
  const deadline = session.now() + (opts.timeoutMs ?? 300_000);
  for (;;) {
    try {
      const server = await get(session, id, opts);
      await pause(session, deadline, opts, `Server ${id} not gone (still ${server.status})`);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}

async function pause(session: Session, deadline: number, opts: WaitOpts, timeoutMessage: string): Promise<void> {
  if (session.now() >= deadline) throw new Error(`${timeoutMessage} after ${opts.timeoutMs ?? 300_000} ms`);
  await sleep(opts.intervalMs ?? 1000, opts.signal);
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
