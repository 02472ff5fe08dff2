import type { CallOptions, Session } from "../../client";
import { isNotFound, OpenStackError } from "../../errors";
import { toImage, type Image } from "./results";
import { imagesUrl, imageUrl } from "./urls";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function get(session: Session, id: string, call: CallOptions = {}): Promise<Image> {
  const res = await session.request({ ...call, service: "image", method: "GET", path: imageUrl(id) });
  return toImage(res.data as Record<string, unknown>);
}

/** Glance follows `next` links relative to its root; one page of up to 1000 is plenty for a picker or a name filter. */
export async function list(session: Session, filters: { name?: string; status?: string } = {}, call: CallOptions = {}): Promise<Image[]> {
  const res = await session.request({ ...call, service: "image", method: "GET", path: imagesUrl(), query: { ...filters, limit: 1000 } });
  return ((res.data as { images: Record<string, unknown>[] }).images ?? []).map(toImage);
}

/**
 * The image named or identified by `nameOrId` (an id is tried first when it looks like one).
 * NotFound when there is none, Ambiguous when several images share the name.
 */
export async function find(session: Session, nameOrId: string, call: CallOptions = {}): Promise<Image> {
  if (UUID.test(nameOrId)) {
    try {
      return await get(session, nameOrId, call);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const matches = await list(session, { name: nameOrId }, call);
  if (matches.length === 1) return matches[0];
  throw new OpenStackError(
    { kind: matches.length === 0 ? "NotFound" : "Ambiguous", service: "image", method: "GET", url: imagesUrl() },
    matches.length === 0 ? `No image named or with id ${nameOrId}` : `${matches.length} images are named ${nameOrId}`,
  );
}
