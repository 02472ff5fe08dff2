import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { containerUrl } from "../urls";
import { toContainerInfo, toObjectListing, type ContainerInfo, type ObjectListing } from "./results";

/** PUT: creates the container or leaves an existing one as it is. */
export async function create(session: Session, container: string, call: CallOptions = {}): Promise<void> {
  await session.request({ ...call, service: "object-store", method: "PUT", path: containerUrl(container) });
}

export async function head(session: Session, container: string, call: CallOptions = {}): Promise<ContainerInfo> {
  const res = await session.request({ ...call, service: "object-store", method: "HEAD", path: containerUrl(container) });
  return toContainerInfo(res.headers);
}

/** Objects in the container (first 10000, Swift's page size), optionally under a prefix. */
export async function listObjects(session: Session, container: string, opts: { prefix?: string } = {}, call: CallOptions = {}): Promise<ObjectListing[]> {
  const res = await session.request({
    ...call,
    service: "object-store",
    method: "GET",
    path: containerUrl(container),
    query: { format: "json", prefix: opts.prefix },
  });
  return ((res.data as Parameters<typeof toObjectListing>[0][] | undefined) ?? []).map(toObjectListing);
}

/** Deletes an empty container; true if deleted now, false if it did not exist. 409 (isConflict) if not empty. */
export function remove(session: Session, container: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "object-store", containerUrl(container), call);
}
