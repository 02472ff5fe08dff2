// The create path shared by Neutron's named, tagged resources (ports, security groups): POST, adopt by name
// (plus the caller's own identifying filters) when the outcome is unknown, then PUT the tags.
import { createOrAdopt, type Adopted } from "../adopt";
import type { CallOptions, Session } from "../client";
import type { Query } from "../query";
import { listResources } from "./collection";
import { setTags } from "./tags/requests";
import type { TaggedCollection } from "./tags/urls";

export interface NeutronCreate<T> extends CallOptions {
  collection: TaggedCollection;
  /** Singular envelope key: "port", "security_group". */
  envelope: string;
  body: Record<string, unknown>;
  /** Filters that, with the name, identify what this create makes (e.g. network_id). */
  identity: Query;
  tags?: string[];
  adoptExisting?: boolean;
  toResource: (raw: Record<string, unknown>) => T;
}

export async function createNamedTagged<T extends { id: string; tags: string[] }>(
  session: Session,
  spec: NeutronCreate<T>,
): Promise<Adopted<T>> {
  const path = `/v2.0/${spec.collection}`;
  const name = spec.body.name;
  const call = { signal: spec.signal };
  const post = async () => {
    const res = await session.request({ ...call, service: "network", method: "POST", path, json: { [spec.envelope]: spec.body } });
    return spec.toResource((res.data as Record<string, Record<string, unknown>>)[spec.envelope]);
  };
  const plural = spec.collection.replace(/-/g, "_");
  const outcome =
    typeof name === "string" && name !== ""
      ? await createOrAdopt(session, {
          ...call,
          service: "network",
          adoptExisting: spec.adoptExisting,
          describe: `${spec.envelope} ${name}`,
          create: post,
          find: () => listResources(session, path, plural, { ...spec.identity, name }, spec.toResource, call),
        })
      : { resource: await post(), created: true };
  if (spec.tags && spec.tags.length > 0 && !sameSet(outcome.resource.tags, spec.tags)) {
    outcome.resource.tags = await setTags(session, spec.collection, outcome.resource.id, spec.tags, call);
  }
  return outcome;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
