import { RESOURCE_KIND_LABELS, type ResourceKind } from "@/lib/domain";
import type { Session } from "@/lib/openstack/client";
import { setTags } from "@/lib/openstack/neutron/tags/requests";
import type { TaggedCollection } from "@/lib/openstack/neutron/tags/urls";
import type { ClusterContext } from "../context";
import type { StepIo } from "../engine";
import type { ResourceRecord } from "../resources";
import { keepOne } from "./common";

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

export async function ensure<T extends { id: string; name: string }>(ctx: ClusterContext, io: StepIo, spec: EnsureSpec<T>): Promise<Ensured<T>> {
  const knownId = await ctx.ledger.idOf(spec.kind, spec.name);
  const found = await spec.find();
  let existing: T | undefined;
  if (spec.removeDuplicate) {
    const removeDuplicate = spec.removeDuplicate;
    ({ kept: existing } = await keepOne(found, knownId, async (duplicate) => {
      await removeDuplicate(duplicate);
      await io.event("warning", `deleted duplicate ${RESOURCE_KIND_LABELS[spec.kind].toLowerCase()} ${duplicate.name} (${duplicate.id}) left by an interrupted create`);
    }));
  } else {
    existing = found.find((f) => f.id === knownId) ?? found[0];
  }
  const ensured = existing ? { resource: spec.reconcile ? await spec.reconcile(existing) : existing, created: false } : await spec.create();
  await ctx.ledger.record({ kind: spec.kind, name: spec.name, openstackId: ensured.resource.id, status: "present", ...spec.record });
  return ensured;
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
