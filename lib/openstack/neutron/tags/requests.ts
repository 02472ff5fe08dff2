// Tags are set with PUT after a create: Zed refuses `tags` in a POST body ("Attribute 'tags' not allowed in POST").
import type { CallOptions, Session } from "../../client";
import { commaList } from "../../query";
import type { TagsResponse } from "./results";
import { tagsUrl, type TaggedCollection } from "./urls";

/** The four tag filters every tagged Neutron collection accepts (each a comma list on the wire). */
export interface TagFilters {
  /** All of these tags. */
  tags?: string[];
  /** At least one of these tags. */
  tagsAny?: string[];
  /** Not all of these tags. */
  notTags?: string[];
  /** None of these tags. */
  notTagsAny?: string[];
}

export function toTagQuery(f: TagFilters) {
  return {
    tags: commaList(f.tags),
    "tags-any": commaList(f.tagsAny),
    "not-tags": commaList(f.notTags),
    "not-tags-any": commaList(f.notTagsAny),
  };
}

/** Replaces the resource's whole tag list (idempotent, so retried like any PUT). */
export async function setTags(
  session: Session,
  collection: TaggedCollection,
  id: string,
  tags: string[],
  opts: CallOptions = {},
): Promise<string[]> {
  const res = await session.request({ ...opts, service: "network", method: "PUT", path: tagsUrl(collection, id), json: { tags } });
  return (res.data as TagsResponse).tags;
}
