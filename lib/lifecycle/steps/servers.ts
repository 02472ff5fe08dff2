import { type NodeName } from "@/lib/domain";
import { assertFitsUserData, bootstrapPointerConfig, serializeConfig } from "@/lib/ignition";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import type { ClusterContext } from "../context";
import { TerminalError, type StepIo } from "../engine";
import { clusterStep, keepOne, mapLimit } from "./common";
import { ensure } from "./ensure";
import { renderForNode, renderSerialized, uploadedConfig } from "./ignition";
import { resolvedIds, type ResolvedIds } from "./preflight";

const MINUTE = 60_000;

/** After the waits: a create that a dead run had in flight may have landed only now; keep the recorded server. */
async function dropLateDuplicates(ctx: ClusterContext, nodes: NodeName[], io: StepIo): Promise<void> {
  const all = await servers.list(ctx.session, {}, { signal: io.signal });
  for (const node of nodes) {
    const planned = ctx.plan.servers.find((s) => s.node === node)!;
    await keepOne(all.filter((x) => x.name === planned.name), await ctx.ledger.idOf("server", planned.name), async (x) => {
      await servers.remove(ctx.session, x.id, { signal: io.signal });
      await io.event("warning", `deleted duplicate server ${x.name} (${x.id}) left by an interrupted create`);
    });
  }
}

interface Boot {
  node: NodeName;
  userData: string;
  serverGroupId?: string;
  ids: ResolvedIds;
}

async function bootServer(ctx: ClusterContext, { node, userData, serverGroupId, ids }: Boot, io: StepIo) {
  const call = { signal: io.signal };
  const planned = ctx.plan.servers.find((s) => s.node === node)!;
  const portIds: string[] = [];
  for (const name of planned.ports) {
    const id = await ctx.ledger.idOf("port", name);
    if (!id) throw new TerminalError(`port ${name} is not recorded; the ports step must run first`);
    portIds.push(id);
  }
  return ensure(ctx, io, {
    kind: "server",
    name: planned.name,
    record: { node },
    find: () => servers.list(ctx.session, { name: planned.name, metadata: planned.metadata }, call),
    create: () =>
      servers.create(
        ctx.session,
        { name: planned.name, imageId: ids.imageId, flavorId: ids.flavorId, portIds, userData, metadata: planned.metadata, tags: ctx.plan.tags, serverGroupId },
        call,
      ),
    removeDuplicate: (x) => servers.remove(ctx.session, x.id, call),
  });
}

export const createBootstrap = clusterStep("bootstrap", { timeoutMs: 20 * MINUTE, maxAttempts: 3 }, async (ctx, io) => {
  const upload = uploadedConfig(io);
  const pointer = bootstrapPointerConfig(renderSerialized(ctx, io, "bootstrap"), upload.url, ctx.spec.caBundle);
  const bytes = assertFitsUserData(pointer, "the bootstrap pointer config");
  const { resource: server, created } = await bootServer(ctx, { node: "bootstrap", userData: serializeConfig(pointer), ids: resolvedIds(io) }, io);
  await io.event("info", `bootstrap server ${server.name} ${created ? "created" : "adopted"} (pointer config ${bytes} bytes as user data)`);
  const active = await servers.waitForActive(ctx.session, server.id, { signal: io.signal, timeoutMs: ctx.tuning.serverWaitMs, intervalMs: ctx.tuning.pollMs });
  await dropLateDuplicates(ctx, ["bootstrap"], io);
  return { serverId: active.id };
});

export const createControlPlane = clusterStep("control-plane", { timeoutMs: 30 * MINUTE, maxAttempts: 3 }, async (ctx, io) => {
  const { plan } = ctx;
  const call = { signal: io.signal };
  const { resource: group } = await ensure(ctx, io, {
    kind: "server-group",
    name: plan.serverGroup.name,
    find: async () => (await serverGroups.list(ctx.session, call)).filter((g) => g.name === plan.serverGroup.name),
    create: () => serverGroups.create(ctx.session, { name: plan.serverGroup.name, policy: plan.serverGroup.policy }, call),
    removeDuplicate: (g) => serverGroups.remove(ctx.session, g.id, call),
  });
  const ids = resolvedIds(io);
  const masters = plan.servers.filter((s) => s.serverGroup);
  const booted = await mapLimit(masters, ctx.tuning.callConcurrency, async (planned) => {
    const config = renderForNode(ctx, io, planned.node);
    assertFitsUserData(config, `the ${planned.node} config`);
    return bootServer(ctx, { node: planned.node, userData: serializeConfig(config), serverGroupId: group.id, ids }, io);
  });
  await io.event("info", `control plane: ${booted.filter((b) => b.created).length} servers created, ${booted.filter((b) => !b.created).length} adopted, in server group ${plan.serverGroup.name} (${plan.serverGroup.policy})`);
  await mapLimit(booted, ctx.tuning.callConcurrency, (b) => servers.waitForActive(ctx.session, b.resource.id, { ...call, timeoutMs: ctx.tuning.serverWaitMs, intervalMs: ctx.tuning.pollMs }));
  await dropLateDuplicates(ctx, masters.map((m) => m.node), io);
  return { servers: booted.map((b) => b.resource.id) };
});
