// GET of one resource or a filtered collection, shared by every Neutron resource module.
import type { CallOptions, Session } from "../client";
import { listAll } from "../pagination";
import type { Query } from "../query";

type Raw = Record<string, unknown>;

export async function listResources<T>(
  session: Session,
  path: string,
  collectionKey: string,
  query: Query,
  toResource: (raw: Raw) => T,
  call: CallOptions,
): Promise<T[]> {
  const raw = await listAll<Raw>(session, { ...call, service: "network", method: "GET", path, query }, collectionKey);
  return raw.map(toResource);
}

export async function getResource<T>(
  session: Session,
  path: string,
  envelope: string,
  toResource: (raw: Raw) => T,
  call: CallOptions,
): Promise<T> {
  const res = await session.request({ ...call, service: "network", method: "GET", path });
  return toResource((res.data as Record<string, Raw>)[envelope]);
}
