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
import type { ClusterContext } from "../context";
import type { StepIo } from "../engine";
import { clusterStep, mapLimit, ownName } from "./common";

// Teardown converges: each reaper lists what of the cluster is still there (by tag, metadata, or the infra id
// name prefix — a create that died between its POST and its tag PUT leaves an untagged resource), deletes it
// (404 = already gone; 409 = still in use, try again next pass), and lists again until nothing is left or the
// bound is reached. Passes are stateless: after a crash the next run simply lists again.

const MINUTE = 60_000;

interface Found {
  id: string;
  name: string;
}

interface Reaper {
  kind: ResourceKind;
  /** The ledger kind of one found resource, when it differs from `kind` (VIP reservation ports). */
  ledgerKind?(found: Found): ResourceKind;
  list(): Promise<Found[]>;
  remove(found: Found): Promise<void>;
}

type Scope = { ctx: ClusterContext; signal: AbortSignal };

const clusterTag = (ctx: ClusterContext) => ctx.plan.tags[0];

async function tolerateConflict(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

function serverReaper({ ctx, signal }: Scope, which: "bootstrap" | "masters" | "all"): Reaper {
  const bootstrapName = ctx.plan.servers.find((s) => s.node === "bootstrap")!.name;
  return {
    kind: "server",
    async list() {
      const all = await servers.list(ctx.session, {}, { signal });
      return all
        .filter((s) => s.metadata[SERVER_METADATA_KEY] === clusterTag(ctx) || s.tags.includes(clusterTag(ctx)) || ownName(ctx, s.name))
        .filter((s) => which === "all" || (which === "bootstrap") === (s.name === bootstrapName));
    },
    // Deleting a server that is already being deleted can answer 409: the next pass lists it again.
    remove: (s) => tolerateConflict(() => servers.remove(ctx.session, s.id, { signal })),
  };
}

function serverGroupReaper({ ctx, signal }: Scope): Reaper {
  return {
    kind: "server-group",
    list: async () => (await serverGroups.list(ctx.session, { signal })).filter((g) => g.name === ctx.plan.serverGroup.name || ownName(ctx, g.name)),
    remove: async (g) => void (await serverGroups.remove(ctx.session, g.id, { signal })),
  };
}

function isClusterPort(ctx: ClusterContext, p: { name: string; tags: string[] }) {
  return p.tags.includes(clusterTag(ctx)) || ownName(ctx, p.name);
}

function portReaper({ ctx, signal }: Scope, which: "bootstrap" | "all"): Reaper {
  const bootstrapPorts = new Set(ctx.plan.ports.filter((p) => p.node === "bootstrap").map((p) => p.name));
  const vipPorts = new Set(ctx.plan.ports.filter((p) => !p.node).map((p) => p.name));
  return {
    kind: "port",
    ledgerKind: (p) => (vipPorts.has(p.name) ? "vip-port" : "port"),
    list: async () => (await ports.list(ctx.session, {}, { signal })).filter((p) => isClusterPort(ctx, p) && (which === "all" || bootstrapPorts.has(p.name))),
    remove: (p) => tolerateConflict(() => ports.remove(ctx.session, p.id, { signal })),
  };
}

function securityGroupReaper({ ctx, signal }: Scope): Reaper {
  const call = { signal };
  return {
    kind: "security-group",
    list: async () => (await securityGroups.list(ctx.session, {}, call)).filter((g) => g.tags.includes(clusterTag(ctx)) || ownName(ctx, g.name)),
    async remove(group) {
      // A group still attached to a port answers 409: detach it from the cluster's ports first.
      const users = (await ports.list(ctx.session, {}, call)).filter((p) => p.securityGroups.includes(group.id) && isClusterPort(ctx, p));
      await mapLimit(users, ctx.tuning.callConcurrency, (p) =>
        ports.update(ctx.session, p.id, { securityGroups: p.securityGroups.filter((id) => id !== group.id) }, call).catch((e: unknown) => {
          if (!isNotFound(e)) throw e;
        }),
      );
      await tolerateConflict(() => securityGroups.remove(ctx.session, group.id, call));
    },
  };
}

function swiftReaper({ ctx, signal }: Scope, which: "object" | "all"): Reaper {
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

/** Lists and deletes until every reaper lists nothing; throws with what is left when the bound passes. */
async function converge(ctx: ClusterContext, io: StepIo, reapers: Reaper[]): Promise<number> {
  const deadline = Date.now() + ctx.tuning.convergeBoundMs;
  let deleted = 0;
  const seen = new Set<string>();
  for (let pass = 1; ; pass++) {
    const found = (await Promise.all(reapers.map(async (r) => (await r.list()).map((f) => ({ reaper: r, found: f }))))).flat();
    if (found.length === 0) return deleted;
    if (Date.now() > deadline) {
      throw new Error(`still present after ${pass - 1} passes: ${found.map((f) => `${f.reaper.kind} ${f.found.name || f.found.id}`).join(", ")}`);
    }
    await mapLimit(found, ctx.tuning.callConcurrency, async ({ reaper, found: f }) => {
      await reaper.remove(f);
      if (!seen.has(`${reaper.kind}:${f.id}`)) {
        seen.add(`${reaper.kind}:${f.id}`);
        deleted += 1;
        await ctx.ledger.record({ kind: reaper.ledgerKind?.(f) ?? reaper.kind, name: f.name, openstackId: f.id, status: "deleted" });
      }
    });
    await sleep(ctx.tuning.convergeDelayMs, io.signal);
  }
}

function reapStep(name: string, reapers: (scope: Scope) => Reaper[]) {
  return clusterStep(name, { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
    const deleted = await converge(ctx, io, reapers({ ctx, signal: io.signal }));
    await io.event("info", `${name}: ${deleted} deleted, none left`);
    return { deleted };
  });
}

/** Masters first; their server group once they are gone. */
export const teardownControlPlane = clusterStep("control-plane", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = { ctx, signal: io.signal };
  const deleted = (await converge(ctx, io, [serverReaper(scope, "masters")])) + (await converge(ctx, io, [serverGroupReaper(scope)]));
  await io.event("info", `control-plane: ${deleted} deleted, none left`);
  return { deleted };
});
export const teardownBootstrapServer = reapStep("bootstrap", (scope) => [serverReaper(scope, "bootstrap")]);
export const teardownSecurityGroups = reapStep("security-groups", (scope) => [securityGroupReaper(scope)]);
export const teardownPorts = reapStep("ports", (scope) => [portReaper(scope, "all")]);
export const teardownIgnitionConfig = reapStep("ignition-config", (scope) => [swiftReaper(scope, "all")]);

/** After bootstrap-complete: the bootstrap server, its 4 ports and its Ignition object go; the masters stay. */
export const bootstrapTeardown = clusterStep("bootstrap-teardown", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = { ctx, signal: io.signal };
  const servers = await converge(ctx, io, [serverReaper(scope, "bootstrap")]);
  const rest = await converge(ctx, io, [portReaper(scope, "bootstrap"), swiftReaper(scope, "object")]);
  await io.event("info", `bootstrap removed: ${servers} server, ${rest} ports and objects`);
  return { deleted: servers + rest };
});

/** The last teardown step: every kind once more, then the inventory read must come back empty. */
export const verifyEmpty = clusterStep("verify-empty", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = { ctx, signal: io.signal };
  const straggling = await converge(ctx, io, [
    serverReaper(scope, "all"),
    serverGroupReaper(scope),
    securityGroupReaper(scope),
    portReaper(scope, "all"),
    swiftReaper(scope, "all"),
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
