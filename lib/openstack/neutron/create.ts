// The create path shared by Neutron's named, tagged resources (ports, security groups): one bulk POST for all of
// them (Neutron's bulk creates are atomic), adopted by name (plus the caller's identifying filters) when the outcome
// is unknown, then tags — in the POST body where the cloud takes them there (ports with the
// tag-ports-during-bulk-creation extension), else one PUT per resource that lacks them (the fewest the tags API allows:
// PUT /tags replaces a resource's whole list in one call).
import { createOrAdoptAll, type Adopted } from "../adopt";
import type { CallOptions, Session } from "../client";
import { mapLimit } from "../concurrency";
import { OpenStackError } from "../errors";
import type { Query } from "../query";
import { listResources } from "./collection";
import { setTags } from "./tags/requests";
import type { TaggedCollection } from "./tags/urls";

export interface NeutronCreate<T> extends CallOptions {
  collection: TaggedCollection;
  /** Singular envelope key: "port", "security_group". */
  envelope: string;
  /** One body per resource, each with a name unique among them (the name identifies it when an answer is lost). */
  bodies: Record<string, unknown>[];
  /** Filters that, with the names, identify what this create makes (e.g. network_id). */
  identity: Query;
  tags?: string[];
  /** Send the tags in the POST body (only where the cloud applies them there); resources answered without them get a PUT. */
  tagsInBody?: boolean;
  adoptExisting?: boolean;
  /** Tag PUTs in flight at once. Default 1. */
  concurrency?: number;
  toResource: (raw: Record<string, unknown>) => T;
}

// Clouds whose Neutron refused a bulk request (allow_bulk = False answers 400 "Bulk operation not supported").
const withoutBulk = new WeakSet<Session>();

function isBulkRefused(err: unknown): boolean {
  return err instanceof OpenStackError && err.status === 400 && /bulk/i.test(`${err.openstackMessage ?? ""} ${err.message}`);
}

export interface BulkPost extends CallOptions {
  /** "/v2.0/ports" */
  path: string;
  /** "port" / "ports" */
  envelope: string;
  plural: string;
  bodies: Record<string, unknown>[];
  /** Marks the POST safe to repeat (a repeat is detected by the cloud, e.g. a duplicate rule's 409). */
  idempotent?: boolean;
  /** Single POSTs in flight at once when the cloud takes no bulk requests. */
  concurrency?: number;
}

/** One bulk POST (one plain POST for a single body); one POST per body on a cloud that refuses bulk requests. */
export async function postAll(session: Session, req: BulkPost): Promise<Record<string, unknown>[]> {
  const base = { signal: req.signal, service: "network" as const, method: "POST" as const, path: req.path, idempotent: req.idempotent };
  const each = () =>
    mapLimit(req.bodies, req.concurrency ?? 1, async (body) => {
      const res = await session.request({ ...base, json: { [req.envelope]: body } });
      return (res.data as Record<string, Record<string, unknown>>)[req.envelope];
    });
  if (req.bodies.length === 1 || withoutBulk.has(session)) return each();
  try {
    const res = await session.request({ ...base, json: { [req.plural]: req.bodies } });
    return (res.data as Record<string, Record<string, unknown>[]>)[req.plural] ?? [];
  } catch (err) {
    if (!isBulkRefused(err)) throw err;
    withoutBulk.add(session);
    return each();
  }
}

export async function createNamedTaggedAll<T extends { id: string; name: string; tags: string[] }>(
  session: Session,
  spec: NeutronCreate<T>,
): Promise<Adopted<T>[]> {
  const path = `/v2.0/${spec.collection}`;
  const plural = spec.collection.replace(/-/g, "_");
  const call = { signal: spec.signal };
  const tagged = (body: Record<string, unknown>) => (spec.tagsInBody && spec.tags?.length ? { ...body, tags: spec.tags } : body);
  const bodyOf = new Map(spec.bodies.map((b) => [String(b.name ?? ""), tagged(b)]));
  if (bodyOf.has("") || bodyOf.size !== spec.bodies.length) throw new Error(`every ${spec.envelope} to create needs a unique name`);
  const post = async (names: string[]): Promise<T[]> =>
    (await postAll(session, { ...call, path, envelope: spec.envelope, plural, bodies: names.map((n) => bodyOf.get(n)!), concurrency: spec.concurrency })).map(
      spec.toResource,
    );
  const outcome = await createOrAdoptAll(session, {
    ...call,
    service: "network",
    describe: `${plural} ${[...bodyOf.keys()].join(", ")}`,
    keys: [...bodyOf.keys()],
    keyOf: (r) => r.name,
    adoptExisting: spec.adoptExisting,
    create: post,
    find: (names) => listResources(session, path, plural, { ...spec.identity, name: names }, spec.toResource, call),
  });
  const tags = spec.tags ?? [];
  const untagged = outcome.filter((o) => !tags.every((t) => o.resource.tags.includes(t)));
  await mapLimit(untagged, spec.concurrency ?? 1, async (o) => {
    o.resource.tags = await setTags(session, spec.collection, o.resource.id, [...new Set([...o.resource.tags, ...tags])], call);
  });
  return outcome;
}

export async function createNamedTagged<T extends { id: string; name: string; tags: string[] }>(
  session: Session,
  spec: Omit<NeutronCreate<T>, "bodies"> & { body: Record<string, unknown> },
): Promise<Adopted<T>> {
  const [one] = await createNamedTaggedAll(session, { ...spec, bodies: [spec.body] });
  return one;
}
