import type { CallOptions, RequestBody, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { objectUrl } from "../urls";
import { toObjectInfo, type ObjectInfo } from "./results";

export interface PutObjectOpts {
  contentType?: string;
  /** Swift deletes the object by itself after this many seconds (X-Delete-After). */
  deleteAfterSeconds?: number;
}

/** PUT replaces the object whole, so it is retried like any idempotent request (a streamed body opened again). */
export async function put(
  session: Session,
  container: string,
  object: string,
  body: RequestBody,
  opts: PutObjectOpts = {},
  call: CallOptions = {},
): Promise<{ etag: string }> {
  const headers: Record<string, string> = { "Content-Type": opts.contentType ?? "application/octet-stream" };
  if (opts.deleteAfterSeconds !== undefined) headers["X-Delete-After"] = String(opts.deleteAfterSeconds);
  const res = await session.request({ ...call, service: "object-store", method: "PUT", path: objectUrl(container, object), body, headers });
  return { etag: res.headers["etag"] ?? "" };
}

export async function get(session: Session, container: string, object: string, call: CallOptions = {}): Promise<Buffer> {
  const res = await session.request({ ...call, service: "object-store", method: "GET", path: objectUrl(container, object), headers: { Accept: "*/*" } });
  return res.body;
}

export async function head(session: Session, container: string, object: string, call: CallOptions = {}): Promise<ObjectInfo> {
  const res = await session.request({ ...call, service: "object-store", method: "HEAD", path: objectUrl(container, object) });
  return toObjectInfo(res.headers);
}

export function remove(session: Session, container: string, object: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "object-store", objectUrl(container, object), call);
}
