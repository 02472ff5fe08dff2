import { sleep } from "@/lib/util/sleep";
import { isConflict, isNotFound } from "@/lib/openstack/errors";
import { readClusterInventory } from "@/lib/openstack/inventory";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import { SERVER_METADATA_KEY, type ResourceKind } from "@/lib/domain";
import type { Session } from "@/lib/openstack/client";
import type { Marked } from "@/lib/plan";
import type { ClusterContext } from "../context";
import type { StepIo } from "../engine";
import { clusterStep, isOurs, mapLimit } from "./common";

// Teardown converges: each reaper lists what of the cluster is still there (by tag, metadata, or one of the plan's
// exact names with no other cluster's mark — a create that died between its POST and its tag PUT leaves an untagged
// resource; never by name prefix, see isOurs), deletes it
// (404 = already gone; 409 = still in use, try again next pass), and lists again until nothing is left or the
// bound is reached. Passes are stateless: after a crash the next run simply lists again.

const MINUTE = 60_000;

interface Found {
  id: string;
  name: string;
}

export interface Reaper {
  kind: ResourceKind;
  /** The ledger kind of one found resource, when it differs from `kind` (VIP reservation ports). */
  ledgerKind?(found: Found): ResourceKind;
  list(): Promise<Found[]>;
  remove(found: Found): Promise<void>;
}

/** What the reapers act on: a session, and which listed resources are theirs to delete (a cluster's, or orphans). */
export interface ReapScope {
  session: Session;
  signal: AbortSignal;
  concurrency: number;
  owns(r: Marked & { id: string }): boolean;
}

const clusterScope = (ctx: ClusterContext, signal: AbortSignal): ReapScope => ({
  session: ctx.session,
  signal,
  concurrency: ctx.tuning.callConcurrency,
  owns: (r) => isOurs(ctx, r),
});

const clusterTag = (ctx: ClusterContext) => ctx.plan.tags[0];

async function tolerateConflict(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/** `only`: just the server of that name (the bootstrap), or all but it (`exclude`: the masters). */
export function serverReaper({ session, signal, owns }: ReapScope, only?: { name: string; exclude: boolean }): Reaper {
  return {
    kind: "server",
    async list() {
      const all = await servers.list(session, {}, { signal });
      return all.filter((s) => owns(s)).filter((s) => !only || (s.name === only.name) !== only.exclude);
    },
    // Deleting a server that is already being deleted can answer 409: the next pass lists it again.
    remove: (s) => tolerateConflict(() => servers.remove(session, s.id, { signal })),
  };
}

export function serverGroupReaper({ session, signal, owns }: ReapScope): Reaper {
  return {
    kind: "server-group",
    list: async () => (await serverGroups.list(session, { signal })).filter((g) => owns(g)),
    remove: async (g) => void (await serverGroups.remove(session, g.id, { signal })),
  };
}

export function portReaper({ session, signal, owns }: ReapScope, only?: { names: Set<string>; vipNames: Set<string> }): Reaper {
  return {
    kind: "port",
    ledgerKind: (p) => (only?.vipNames.has(p.name) ? "vip-port" : "port"),
    list: async () => (await ports.list(session, {}, { signal })).filter((p) => owns(p) && (!only || only.names.size === 0 || only.names.has(p.name))),
    remove: (p) => tolerateConflict(() => ports.remove(session, p.id, { signal })),
  };
}

export function securityGroupReaper({ session, signal, concurrency, owns }: ReapScope): Reaper {
  const call = { signal };
  return {
    kind: "security-group",
    list: async () => (await securityGroups.list(session, {}, call)).filter((g) => owns(g)),
    async remove(group) {
      // A group still attached to a port answers 409: detach it from the ports the scope owns first.
      const users = (await ports.list(session, {}, call)).filter((p) => p.securityGroups.includes(group.id) && owns(p));
      await mapLimit(users, concurrency, (p) =>
        ports.update(session, p.id, { securityGroups: p.securityGroups.filter((id) => id !== group.id) }, call).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        }),
      );
      await tolerateConflict(() => securityGroups.remove(session, group.id, call));
    },
  };
}

function swiftReaper(ctx: ClusterContext, signal: AbortSignal, which: "object" | "all"): Reaper {
  const { container, object } = ctx.plan.swift;
  const call = { signal };
  return {
    kind: which === "object" ? "swift-object" : "swift-container",
    async list() {
      try {
        const listed = await containers.listObjects(ctx.session, container, {}, call);
        const objs = listed.filter((o) => which === "all" || o.name === object).map((o) => ({ id: `${container}/${o.name}`, name: `${container}/${o.name}` }));
        return which === "all" ? [...objs, { id: container, name: container }] : objs;
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    },
    async remove(found) {
      if (found.id === container) await tolerateConflict(() => containers.remove(ctx.session, container, call));
      else await objects.remove(ctx.session, container, found.id.slice(container.length + 1), call);
    },
  };
}

export interface ConvergeOptions {
  signal: AbortSignal;
  concurrency: number;
  boundMs: number;
  delayMs: number;
  /** Once per resource deleted (the ledger records it; a sweep audits it). */
  onDeleted(kind: ResourceKind, found: Found): Promise<void>;
}

/** Lists and deletes until every reaper lists nothing; throws with what is left when the bound passes. */
export async function converge(reapers: Reaper[], options: ConvergeOptions): Promise<number> {
  const deadline = Date.now() + options.boundMs;
  let deleted = 0;
  const seen = new Set<string>();
  for (let pass = 1; ; pass++) {
    const found = (await Promise.all(reapers.map(async (r) => (await r.list()).map((f) => ({ reaper: r, found: f }))))).flat();
    if (found.length === 0) return deleted;
    if (Date.now() > deadline) {
      throw new Error(`still present after ${pass - 1} passes: ${found.map((f) => `${f.reaper.kind} ${f.found.name || f.found.id}`).join(", ")}`);
    }
    await mapLimit(found, options.concurrency, async ({ reaper, found: f }) => {
      await reaper.remove(f);
      if (!seen.has(`${reaper.kind}:${f.id}`)) {
        seen.add(`${reaper.kind}:${f.id}`);
        deleted += 1;
        await options.onDeleted(reaper.ledgerKind?.(f) ?? reaper.kind, f);
      }
    });
    await sleep(options.delayMs, options.signal);
  }
}

/** A cluster's converge: the ledger records every deletion. */
function convergeCluster(ctx: ClusterContext, io: StepIo, reapers: Reaper[]): Promise<number> {
  return converge(reapers, {
    signal: io.signal,
    concurrency: ctx.tuning.callConcurrency,
    boundMs: ctx.tuning.convergeBoundMs,
    delayMs: ctx.tuning.convergeDelayMs,
    onDeleted: (kind, f) => ctx.ledger.record({ kind, name: f.name, openstackId: f.id, status: "deleted" }),
  });
}

const bootstrapName = (ctx: ClusterContext) => ctx.plan.servers.find((s) => s.node === "bootstrap")!.name;
const vipPortNames = (ctx: ClusterContext) => new Set(ctx.plan.ports.filter((p) => !p.node).map((p) => p.name));
const allPorts = (ctx: ClusterContext) => ({ names: new Set<string>(), vipNames: vipPortNames(ctx) });
const bootstrapPorts = (ctx: ClusterContext) => ({ names: new Set(ctx.plan.ports.filter((p) => p.node === "bootstrap").map((p) => p.name)), vipNames: vipPortNames(ctx) });

function reapStep(name: string, reapers: (ctx: ClusterContext, signal: AbortSignal) => Reaper[]) {
  return clusterStep(name, { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
    const deleted = await convergeCluster(ctx, io, reapers(ctx, io.signal));
    await io.event("info", `${name}: ${deleted} deleted, none left`);
    return { deleted };
  });
}

/** Masters first; their server group once they are gone. */
export const teardownControlPlane = clusterStep("control-plane", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = clusterScope(ctx, io.signal);
  const deleted =
    (await convergeCluster(ctx, io, [serverReaper(scope, { name: bootstrapName(ctx), exclude: true })])) + (await convergeCluster(ctx, io, [serverGroupReaper(scope)]));
  await io.event("info", `control-plane: ${deleted} deleted, none left`);
  return { deleted };
});
export const teardownBootstrapServer = reapStep("bootstrap", (ctx, signal) => [serverReaper(clusterScope(ctx, signal), { name: bootstrapName(ctx), exclude: false })]);
export const teardownSecurityGroups = reapStep("security-groups", (ctx, signal) => [securityGroupReaper(clusterScope(ctx, signal))]);
export const teardownPorts = reapStep("ports", (ctx, signal) => [portReaper(clusterScope(ctx, signal), allPorts(ctx))]);
export const teardownIgnitionConfig = reapStep("ignition-config", (ctx, signal) => [swiftReaper(ctx, signal, "all")]);

/** After bootstrap-complete: the bootstrap server, its 4 ports and its Ignition object go; the masters stay. */
export const bootstrapTeardown = clusterStep("bootstrap-teardown", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = clusterScope(ctx, io.signal);
  const servers = await convergeCluster(ctx, io, [serverReaper(scope, { name: bootstrapName(ctx), exclude: false })]);
  const rest = await convergeCluster(ctx, io, [portReaper(scope, bootstrapPorts(ctx)), swiftReaper(ctx, io.signal, "object")]);
  await io.event("info", `bootstrap removed: ${servers} server, ${rest} ports and objects`);
  return { deleted: servers + rest };
});

/** The last teardown step: every kind once more, then the inventory read must come back empty. */
export const verifyEmpty = clusterStep("verify-empty", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = clusterScope(ctx, io.signal);
  const straggling = await convergeCluster(ctx, io, [
    serverReaper(scope),
    serverGroupReaper(scope),
    securityGroupReaper(scope),
    portReaper(scope, allPorts(ctx)),
    swiftReaper(ctx, io.signal, "all"),
  ]);
  const left = await readClusterInventory(ctx.session, {
    tag: clusterTag(ctx),
    metadataKey: SERVER_METADATA_KEY,
    serverGroupName: ctx.plan.serverGroup.name,
    container: ctx.plan.swift.container,
    signal: io.signal,
  });
  const counts = { ports: left.ports.length, servers: left.servers.length, securityGroups: left.securityGroups.length, serverGroup: left.serverGroup ? 1 : 0, objects: left.objects.length };
  if (Object.values(counts).some((n) => n > 0)) throw new Error(`resources tagged with the cluster remain: ${JSON.stringify(counts)}`);
  await io.event("info", `nothing tagged with ${clusterTag(ctx)} remains${straggling ? ` (${straggling} stragglers removed)` : ""}`);
  return { straggling, ...counts };
});
