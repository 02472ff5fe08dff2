import { RESOURCE_KIND_LABELS, type ResourceKind } from "@/lib/domain";
import type { Session } from "@/lib/openstack/client";
import { setTags } from "@/lib/openstack/neutron/tags/requests";
import type { TaggedCollection } from "@/lib/openstack/neutron/tags/urls";
import type { ClusterContext } from "../context";
import type { StepIo } from "../engine";
import type { ResourceRecord } from "../resources";
import { keepOne, mapLimit } from "./common";

// The one way a create step makes a resource exist: the id the ledger recorded, else what the cloud lists under the
// plan's deterministic name (and tag), else a create — then the ledger records it. Kinds with no unique key in the
// cloud drop the late duplicates a dead run's create left; an adopted resource is brought in line with the plan.

export interface Ensured<T> {
  resource: T;
  created: boolean;
}

export interface EnsureSpec<T extends { id: string; name: string }> {
  kind: ResourceKind;
  name: string;
  /** What the ledger row also says (which node, which network). */
  record?: Pick<ResourceRecord, "node" | "networkRole">;
  /** The candidates the cloud lists under the planned name (one listing; may filter a listing shared by the step). */
  find(): Promise<T[]>;
  create(): Promise<Ensured<T>>;
  /** For kinds without a unique key in the cloud: deletes a duplicate. Ports need none: their fixed IPs are unique. */
  removeDuplicate?(duplicate: T): Promise<unknown>;
  /** Brings an adopted resource in line with the plan (tags, allowed-address pairs); returns it as it now is. */
  reconcile?(existing: T): Promise<T>;
}

export interface EnsureAllSpec<T extends { id: string; name: string }, P> {
  kind(planned: P): ResourceKind;
  nameOf(planned: P): string;
  record?(planned: P): Pick<ResourceRecord, "node" | "networkRole">;
  planned: readonly P[];
  /** The candidates the cloud lists for all of them (one listing for the whole step). */
  found: readonly T[];
  /** Creates the missing ones, in one request where the API allows (bulk); results in the order given. */
  createAll(missing: P[]): Promise<Ensured<T>[]>;
  removeDuplicate?(duplicate: T): Promise<unknown>;
  reconcile?(existing: T, planned: P): Promise<T>;
  /** Duplicate removals and reconciles in flight at once. */
  concurrency: number;
}

/** `ensure` for many resources of a step: one listing (given), one create request for the missing, one ledger row each. */
export async function ensureAll<T extends { id: string; name: string }, P>(ctx: ClusterContext, io: StepIo, spec: EnsureAllSpec<T, P>): Promise<Ensured<T>[]> {
  const adopted = await mapLimit(spec.planned, spec.concurrency, async (planned): Promise<Ensured<T> | undefined> => {
    const kind = spec.kind(planned);
    const name = spec.nameOf(planned);
    const knownId = await ctx.ledger.idOf(kind, name);
    const found = spec.found.filter((f) => f.name === name);
    let existing: T | undefined;
    if (spec.removeDuplicate) {
      const removeDuplicate = spec.removeDuplicate;
      ({ kept: existing } = await keepOne(found, knownId, async (duplicate) => {
        await removeDuplicate(duplicate);
        await io.event("warning", `deleted duplicate ${RESOURCE_KIND_LABELS[kind].toLowerCase()} ${duplicate.name} (${duplicate.id}) left by an interrupted create`);
      }));
    } else {
      existing = found.find((f) => f.id === knownId) ?? found[0];
    }
    if (!existing) return undefined;
    return { resource: spec.reconcile ? await spec.reconcile(existing, planned) : existing, created: false };
  });
  const missing = spec.planned.filter((_, i) => !adopted[i]);
  const made = missing.length > 0 ? await spec.createAll(missing) : [];
  const ensured = spec.planned.map((p) => adopted[spec.planned.indexOf(p)] ?? made[missing.indexOf(p)]);
  for (const [i, planned] of spec.planned.entries()) {
    await ctx.ledger.record({ kind: spec.kind(planned), name: spec.nameOf(planned), openstackId: ensured[i].resource.id, status: "present", ...spec.record?.(planned) });
  }
  return ensured;
}

export async function ensure<T extends { id: string; name: string }>(ctx: ClusterContext, io: StepIo, spec: EnsureSpec<T>): Promise<Ensured<T>> {
  const [one] = await ensureAll<T, EnsureSpec<T>>(ctx, io, {
    kind: () => spec.kind,
    nameOf: () => spec.name,
    record: spec.record && (() => spec.record!),
    planned: [spec],
    found: await spec.find(),
    createAll: async () => [await spec.create()],
    removeDuplicate: spec.removeDuplicate,
    reconcile: spec.reconcile && ((existing) => spec.reconcile!(existing)),
    concurrency: 1,
  });
  return one;
}

/** Adds the plan's tags to an adopted Neutron resource that lacks some (a create that died between POST and tag). */
export async function reconcileTags<T extends { id: string; tags: string[] }>(
  session: Session,
  collection: TaggedCollection,
  resource: T,
  tags: string[],
  signal: AbortSignal,
): Promise<T> {
  if (tags.every((t) => resource.tags.includes(t))) return resource;
  const merged = [...new Set([...resource.tags, ...tags])];
  await setTags(session, collection, resource.id, merged, { signal });
  return { ...resource, tags: merged };
}
