import { type NodeName } from "@/lib/domain";
import { assertFitsUserData, pointerConfig, serializeConfig } from "@/lib/ignition";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { hasMetadata, type Server } from "@/lib/openstack/nova/servers/results";
import type { PlannedServer } from "@/lib/plan";
import type { ClusterContext } from "../context";
import { TerminalError, type StepIo } from "../engine";
import { clusterStep, keepOne, mapLimit } from "./common";
import { ensure, ensureAll } from "./ensure";
import { freshBootstrapUrl, renderForNode } from "./ignition";
import { resolvedIds, type ResolvedIds } from "./preflight";

const MINUTE = 60_000;

// Calls: one listing of the cluster's servers (by the infra id's name prefix) finds what a crashed run made; one POST
// per server (Nova has no bulk create of servers with different user data); the wait polls ONE listing for all of
// them, fast at first and slower later (lib/openstack/poll.ts), and its last listing shows late duplicates.
// The POSTs go one at a time whatever TRIPOD_CALL_CONCURRENCY says: servers booted at once into one anti-affinity
// group race Nova's late affinity check and get rescheduled. Measured (test/bench/lifecycle.ts, 3 runs each): the
// control-plane step took 68 s (66–74) with 6 in flight against 38 s (38–58) one at a time, 18 calls against 13.

const clusterServers = (ctx: ClusterContext): servers.ListServersOpts => ({ namePrefix: `${ctx.infraId}-` });

/** After the wait: a create that a dead run had in flight may have landed only now; keep the recorded server. */
async function dropLateDuplicates(ctx: ClusterContext, listing: Server[], nodes: NodeName[], io: StepIo): Promise<void> {
  for (const node of nodes) {
    const planned = ctx.plan.servers.find((s) => s.node === node)!;
    await keepOne(listing.filter((x) => x.name === planned.name), await ctx.ledger.idOf("server", planned.name), async (x) => {
      await servers.remove(ctx.session, x.id, { signal: io.signal });
      await io.event("warning", `deleted duplicate server ${x.name} (${x.id}) left by an interrupted create`);
    });
  }
}

interface Boot {
  planned: PlannedServer;
  /** Rendered only when the server has to be created (the bootstrap's pointer needs a freshly signed URL then). */
  userData: () => Promise<string>;
  serverGroupId?: string;
}

/** Boots each planned server that the listing does not show (the ledger's ids and the plan's names decide). */
async function bootServers(ctx: ClusterContext, io: StepIo, boots: Boot[], ids: ResolvedIds, listing: Server[]) {
  const call = { signal: io.signal };
  const portIds = async ({ planned }: Boot) => {
    const found: string[] = [];
    for (const name of planned.ports) {
      const id = await ctx.ledger.idOf("port", name);
      if (!id) throw new TerminalError(`port ${name} is not recorded; the ports step must run first`);
      found.push(id);
    }
    return found;
  };
  return ensureAll(ctx, io, {
    kind: () => "server",
    nameOf: (b) => b.planned.name,
    record: (b) => ({ node: b.planned.node }),
    planned: boots,
    found: listing.filter((x) => boots.some((b) => b.planned.name === x.name && hasMetadata(x, b.planned.metadata))),
    createAll: (missing) =>
      mapLimit(missing, 1, async (b) =>
        servers.create(
          ctx.session,
          {
            name: b.planned.name,
            imageId: ids.imageId,
            flavorId: ids.flavorId,
            portIds: await portIds(b),
            userData: await b.userData(),
            metadata: b.planned.metadata,
            tags: ctx.plan.tags,
            serverGroupId: b.serverGroupId,
          },
          call,
        ),
      ),
    removeDuplicate: (x) => servers.remove(ctx.session, x.id, call),
    concurrency: ctx.tuning.callConcurrency,
  });
}

function waitActive(ctx: ClusterContext, io: StepIo, ids: string[]) {
  return servers.waitForAllActive(ctx.session, ids, clusterServers(ctx), { signal: io.signal, timeoutMs: ctx.tuning.serverWaitMs, intervalMs: ctx.tuning.pollMs });
}

export const createBootstrap = clusterStep("bootstrap", { timeoutMs: 20 * MINUTE, maxAttempts: 3 }, async (ctx, io) => {
  let signed: { expires: number; bytes: number } | undefined;
  const userData = async () => {
    const fresh = await freshBootstrapUrl(ctx, io);
    const pointer = pointerConfig({ url: fresh.url, sha512: fresh.sha512, caBundle: ctx.spec.caBundle });
    signed = { expires: fresh.expires, bytes: assertFitsUserData(pointer, "the bootstrap pointer config") };
    return serializeConfig(pointer);
  };
  const planned = ctx.plan.servers.find((s) => s.node === "bootstrap")!;
  const listing = await servers.list(ctx.session, clusterServers(ctx), { signal: io.signal });
  const [{ resource: server, created }] = await bootServers(ctx, io, [{ planned, userData }], resolvedIds(io), listing);
  await io.event("info", `bootstrap server ${server.name} ${created && signed ? `created (pointer config ${signed.bytes} bytes as user data, its temp URL valid until ${new Date(signed.expires * 1000).toISOString()})` : "adopted"}`);
  await dropLateDuplicates(ctx, await waitActive(ctx, io, [server.id]), ["bootstrap"], io);
  return { serverId: server.id, ...(signed ? { tempUrlExpires: signed.expires } : {}) };
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
  const masters = plan.servers.filter((s) => s.serverGroup);
  const boots = masters.map((planned) => {
    const config = renderForNode(ctx, io, planned.node);
    assertFitsUserData(config, `the ${planned.node} config`);
    return { planned, userData: async () => serializeConfig(config), serverGroupId: group.id };
  });
  const listing = await servers.list(ctx.session, clusterServers(ctx), call);
  const booted = await bootServers(ctx, io, boots, resolvedIds(io), listing);
  await io.event("info", `control plane: ${booted.filter((b) => b.created).length} servers created, ${booted.filter((b) => !b.created).length} adopted, in server group ${plan.serverGroup.name} (${plan.serverGroup.policy})`);
  await dropLateDuplicates(ctx, await waitActive(ctx, io, booted.map((b) => b.resource.id)), masters.map((m) => m.node), io);
  return { servers: booted.map((b) => b.resource.id) };
});
