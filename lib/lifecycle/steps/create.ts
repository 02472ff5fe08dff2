import { isNotFound } from "@/lib/openstack/errors";
import * as images from "@/lib/openstack/glance/images/requests";
import * as extensions from "@/lib/openstack/neutron/extensions/requests";
import * as networks from "@/lib/openstack/neutron/networks/requests";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import type { Port } from "@/lib/openstack/neutron/ports/results";
import * as quotas from "@/lib/openstack/neutron/quotas/requests";
import * as rules from "@/lib/openstack/neutron/security-group-rules/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as subnets from "@/lib/openstack/neutron/subnets/requests";
import { setTags } from "@/lib/openstack/neutron/tags/requests";
import * as flavors from "@/lib/openstack/nova/flavors/requests";
import * as limits from "@/lib/openstack/nova/limits/requests";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as swiftInfo from "@/lib/openstack/swift/info/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import * as tempUrls from "@/lib/openstack/swift/tempurl/requests";
import { sleep } from "@/lib/openstack/client";
import { assertFitsUserData, bootstrapPointerConfig, renderNodeConfig, serializeConfig, sha512Hex, type RenderInput } from "@/lib/ignition";
import type { NodeName } from "@/lib/plan";
import { NETWORK_ROLES, type NetworkRole } from "@/lib/spec";
import { bootstrapEndpoints, KUBECONFIG_SERVER, parseKubeconfig, waitForBootstrapComplete, type BootstrapEndpoint } from "../bootstrap-complete";
import type { ClusterContext } from "../context";
import { TerminalError, type StepIo, type StepOutputs } from "../engine";
import { checkPreflight, type PreflightFacts } from "../preflight";
import { clusterStep, keepOne, mapLimit, ownName, type ClusterStep } from "./common";

const MINUTE = 60_000;

/** Ids resolved by preflight, reused by every later step (and after a resume). */
interface Resolved {
  networkIds: Record<NetworkRole, string>;
  subnetIds: Record<NetworkRole, string>;
  flavorId: string;
  imageId: string;
}

function resolvedFrom(outputs: StepOutputs | undefined): Resolved {
  if (!outputs?.resolved) throw new TerminalError("preflight has not recorded the resolved network, flavor and image ids");
  return outputs.resolved as unknown as Resolved;
}

async function findByNameOrId<T extends { id: string }>(byName: () => Promise<T[]>, byId: () => Promise<T>): Promise<T | null> {
  const named = await byName();
  if (named.length > 0) return named[0];
  try {
    return await byId();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function gatherFacts(ctx: ClusterContext, signal: AbortSignal): Promise<{ facts: PreflightFacts; resolved: Partial<Resolved> }> {
  const { session: s, spec } = ctx;
  const call = { signal };
  const [flavor, image, exts, netQuota, compute, info] = await Promise.all([
    flavors.findByName(s, spec.flavor, call),
    images.find(s, spec.image, call).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e))),
    extensions.list(s, call),
    quotas.details(s, {}, call),
    limits.get(s, call),
    swiftInfo.get(s, call),
  ]);
  const nets = {} as PreflightFacts["networks"];
  const subs = {} as PreflightFacts["subnets"];
  await Promise.all(
    NETWORK_ROLES.map(async (role) => {
      const net = spec.networks[role];
      const network = await findByNameOrId(() => networks.list(s, { name: net.network }, call), () => networks.get(s, net.network, call));
      const subnet = await findByNameOrId(() => subnets.list(s, { name: net.subnet }, call), () => subnets.get(s, net.subnet, call));
      nets[role] = network && { id: network.id, name: network.name };
      subs[role] = subnet && { id: subnet.id, name: subnet.name, networkId: subnet.networkId, cidr: subnet.cidr };
    }),
  );
  const networkIds = [...new Set(Object.values(nets).flatMap((n) => (n ? [n.id] : [])))];
  const portsOnNetworks = (await Promise.all(networkIds.map((networkId) => ports.list(s, { networkId }, call)))).flat();
  const cluster = await ctx.db.cluster.findUniqueOrThrow({ where: { id: ctx.clusterId } });
  const othersOn = (network: string) =>
    ctx.db.vrrpIdAllocation.findMany({ where: { cloudId: cluster.cloudId, publicNetwork: network, clusterId: { not: ctx.clusterId } } });
  const others = await othersOn(spec.networks.public.network);
  const othersOnCluster = await othersOn(spec.networks.cluster.network);
  const q = (limit: number, used: number) => ({ limit, used });
  const neutron = (key: string) => netQuota[key] ?? { limit: -1, used: 0, reserved: 0 };
  const facts: PreflightFacts = {
    flavor: flavor ? { name: flavor.name, vcpus: flavor.vcpus, ram: flavor.ramMiB } : null,
    image: image ? { name: image.name, status: image.status } : null,
    networks: nets,
    subnets: subs,
    extensions: exts.map((e) => e.alias),
    foreignPorts: portsOnNetworks
      .filter((p) => !ownName(ctx, p.name))
      .map((p) => ({ id: p.id, name: p.name, fixedIps: p.fixedIps.map((f) => f.ipAddress), allowedAddressPairs: p.allowedAddressPairs.map((a) => a.ipAddress) })),
    quotas: {
      instances: q(compute.maxInstances, compute.instancesUsed),
      cores: q(compute.maxCores, compute.coresUsed),
      ram: q(compute.maxRamMiB, compute.ramUsedMiB),
      serverGroups: q(compute.maxServerGroups, compute.serverGroupsUsed),
      ports: neutron("port"),
      securityGroups: neutron("security_group"),
      securityGroupRules: neutron("security_group_rule"),
    },
    swiftTempUrl: info.tempurl !== undefined,
    vrrpIdsOfOthers: others.map((o) => o.routerId),
    vrrpIdsOfOthersOnCluster: othersOnCluster.map((o) => o.routerId),
    vrrpIds: { api: cluster.vrrpApiId ?? 0, ingress: cluster.vrrpIngressId ?? 0, apiInt: ctx.render.vrrp.apiIntId },
  };
  const resolved: Partial<Resolved> = {
    networkIds: Object.fromEntries(NETWORK_ROLES.map((r) => [r, nets[r]?.id ?? ""])) as Record<NetworkRole, string>,
    subnetIds: Object.fromEntries(NETWORK_ROLES.map((r) => [r, subs[r]?.id ?? ""])) as Record<NetworkRole, string>,
    flavorId: flavor?.id,
    imageId: image?.id,
  };
  return { facts, resolved };
}

export const preflight = clusterStep("preflight", { timeoutMs: 3 * MINUTE, maxAttempts: 3 }, async (ctx, io) => {
  const { facts, resolved } = await gatherFacts(ctx, io.signal);
  const problems = checkPreflight(ctx.spec, ctx.plan, facts);
  if (problems.length > 0) {
    for (const p of problems) await io.event("error", `${p.path}: ${p.message}`);
    throw new TerminalError(
      `preflight found ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`,
      Object.fromEntries(problems.map((p) => [p.path, p.message])),
    );
  }
  return { resolved: resolved as unknown as StepOutputs };
});

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export const createPorts = clusterStep("ports", { timeoutMs: 10 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  const resolved = resolvedFrom(io.outputsOf("preflight"));
  // One list per network finds what an earlier (crashed) run created, tagged or not yet tagged.
  const existing = new Map<string, Port>();
  for (const networkId of new Set(Object.values(resolved.networkIds))) {
    for (const port of await ports.list(s, { networkId }, call)) if (ownName(ctx, port.name)) existing.set(port.name, port);
  }
  let created = 0;
  const macs: Record<string, Record<string, string>> = {};
  await mapLimit(plan.ports, ctx.tuning.callConcurrency, async (planned) => {
    const pairs = planned.allowedAddressPairs;
    let port = existing.get(planned.name);
    if (!port) {
      const result = await ports.create(
        s,
        {
          name: planned.name,
          networkId: resolved.networkIds[planned.role],
          fixedIps: [{ subnetId: resolved.subnetIds[planned.role], ipAddress: planned.fixedIp }],
          allowedAddressPairs: pairs,
          portSecurityEnabled: true,
          tags: plan.tags,
        },
        call,
      );
      port = result.resource;
      if (result.created) created += 1;
    } else {
      if (!plan.tags.every((t) => port!.tags.includes(t))) await setTags(s, "ports", port.id, [...new Set([...port.tags, ...plan.tags])], call);
      if (!sameSet(port.allowedAddressPairs.map((p) => p.ipAddress), pairs.map((p) => p.ipAddress))) {
        port = await ports.update(s, port.id, { allowedAddressPairs: pairs }, call);
      }
    }
    await ctx.ledger.record({ kind: planned.node ? "port" : "vip-port", name: planned.name, openstackId: port.id, node: planned.node, networkRole: planned.role, status: "present" });
    if (planned.node) (macs[planned.node] ??= {})[planned.role] = port.macAddress.toLowerCase();
  });
  await io.event("info", `${plan.ports.length} ports present (${created} created, ${plan.ports.length - created} adopted)`);
  return { ports: plan.ports.length, created, macs };
});

export const createSecurityGroups = clusterStep("security-groups", { timeoutMs: 10 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  const listed = (await securityGroups.list(s, {}, call)).filter((g) => ownName(ctx, g.name));
  const groupIds = {} as Record<NetworkRole, string>;
  await mapLimit(plan.securityGroups, ctx.tuning.callConcurrency, async (planned) => {
    const same = listed.filter((g) => g.name === planned.name);
    let { kept: group } = await keepOne(same, await ctx.ledger.idOf("security-group", planned.name), async (g) => {
      await securityGroups.remove(s, g.id, call);
      await io.event("warning", `deleted duplicate security group ${g.name} (${g.id}) left by an interrupted create`);
    });
    if (!group) group = (await securityGroups.create(s, { name: planned.name, description: `Tripod cluster ${ctx.infraId}: ${planned.key} network`, tags: plan.tags }, call)).resource;
    else if (!plan.tags.every((t) => group!.tags.includes(t))) await setTags(s, "security-groups", group.id, [...new Set([...group.tags, ...plan.tags])], call);
    groupIds[planned.key] = group.id;
    await ctx.ledger.record({ kind: "security-group", name: planned.name, openstackId: group.id, networkRole: planned.key, status: "present" });
  });
  const present = await rules.list(s, { securityGroupId: Object.values(groupIds) }, call);
  const missing = plan.securityGroups.flatMap((g) =>
    g.rules
      .map((r) => ({
        securityGroupId: groupIds[g.key],
        direction: "ingress" as const,
        protocol: r.protocol,
        portRangeMin: r.portMin,
        portRangeMax: r.portMax,
        remoteIpPrefix: r.remoteIpPrefix,
        description: r.description,
      }))
      .filter((opts) => !present.some((rule) => rule.securityGroupId === opts.securityGroupId && rules.sameRule(rule, opts))),
  );
  await mapLimit(missing, ctx.tuning.callConcurrency, (opts) => rules.create(s, opts, call));
  // Ports were created first (the seed's order): now each node port gets its network's group.
  const clusterPorts = await ports.list(s, { tags: [plan.tags[0]] }, call);
  const toAttach = plan.ports.flatMap((planned) => {
    const port = clusterPorts.find((p) => p.name === planned.name);
    const wanted = planned.securityGroups.map((key) => groupIds[key]);
    return port && !sameSet(port.securityGroups, wanted) ? [{ id: port.id, wanted }] : [];
  });
  await mapLimit(toAttach, ctx.tuning.callConcurrency, (p) => ports.update(s, p.id, { securityGroups: p.wanted }, call));
  await io.event("info", `${plan.securityGroups.length} security groups, ${missing.length} rules added, ${toAttach.length} ports attached`);
  return { rulesAdded: missing.length, portsAttached: toAttach.length };
});

/** The render input with the MAC of every node port, as the ports step recorded them (the NIC configs match by MAC). */
export function withPortMacs(render: ClusterContext["render"], portsOutputs: StepOutputs | undefined): RenderInput {
  if (!portsOutputs?.macs) throw new TerminalError("the ports step has not recorded the ports' MAC addresses");
  return { ...render, macs: portsOutputs.macs as unknown as RenderInput["macs"] };
}

function renderSerialized(ctx: ClusterContext, node: NodeName, io: StepIo): string {
  return serializeConfig(renderNodeConfig(withPortMacs(ctx.render, io.outputsOf("ports")), node));
}

export const uploadIgnition = clusterStep("ignition-upload", { timeoutMs: 5 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  const bootstrap = renderSerialized(ctx, "bootstrap", io);
  await containers.create(s, plan.swift.container, call);
  await ctx.ledger.record({ kind: "swift-container", name: plan.swift.container, openstackId: plan.swift.container, status: "present" });
  await objects.put(s, plan.swift.container, plan.swift.object, bootstrap, { contentType: "application/vnd.coreos.ignition+json" }, call);
  const name = `${plan.swift.container}/${plan.swift.object}`;
  await ctx.ledger.record({ kind: "swift-object", name, openstackId: name, node: "bootstrap", status: "present" });
  const signed = await tempUrls.create(s, { container: plan.swift.container, object: plan.swift.object, ttlSeconds: ctx.tuning.tempUrlTtlSeconds }, call);
  await io.event("info", `bootstrap config (${bootstrap.length} bytes) in Swift, temp URL signed with ${signed.digest}, valid until ${new Date(signed.expires * 1000).toISOString()}`);
  return { url: signed.url, expires: signed.expires, digest: signed.digest, sha512: sha512Hex(bootstrap), bytes: bootstrap.length };
});

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
  ids: Resolved;
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
  const found = await servers.list(ctx.session, { name: planned.name, metadata: planned.metadata }, call);
  const { kept } = await keepOne(found, await ctx.ledger.idOf("server", planned.name), async (x) => {
    await servers.remove(ctx.session, x.id, call);
    await io.event("warning", `deleted duplicate server ${x.name} (${x.id}) left by an interrupted create`);
  });
  const created = kept
    ? { resource: kept, created: false }
    : await servers.create(
        ctx.session,
        { name: planned.name, imageId: ids.imageId, flavorId: ids.flavorId, portIds, userData, metadata: planned.metadata, tags: ctx.plan.tags, serverGroupId },
        call,
      );
  await ctx.ledger.record({ kind: "server", name: planned.name, openstackId: created.resource.id, node, status: "present" });
  return { server: created.resource, created: created.created };
}

export const createBootstrap = clusterStep("bootstrap", { timeoutMs: 20 * MINUTE, maxAttempts: 3 }, async (ctx, io) => {
  const upload = io.outputsOf("ignition-upload");
  if (!upload?.url) throw new TerminalError("the bootstrap config has not been uploaded");
  const pointer = bootstrapPointerConfig(renderSerialized(ctx, "bootstrap", io), String(upload.url), ctx.spec.caBundle);
  const bytes = assertFitsUserData(pointer, "the bootstrap pointer config");
  const ids = resolvedFrom(io.outputsOf("preflight"));
  const { server, created } = await bootServer(ctx, { node: "bootstrap", userData: serializeConfig(pointer), ids }, io);
  await io.event("info", `bootstrap server ${server.name} ${created ? "created" : "adopted"} (pointer config ${bytes} bytes as user data)`);
  const active = await servers.waitForActive(ctx.session, server.id, { signal: io.signal, timeoutMs: ctx.tuning.serverWaitMs, intervalMs: ctx.tuning.pollMs });
  await dropLateDuplicates(ctx, ["bootstrap"], io);
  return { serverId: active.id };
});

export const createControlPlane = clusterStep("control-plane", { timeoutMs: 30 * MINUTE, maxAttempts: 3 }, async (ctx, io) => {
  const { plan } = ctx;
  const call = { signal: io.signal };
  const sameName = (await serverGroups.list(ctx.session, call)).filter((g) => g.name === plan.serverGroup.name);
  const { kept } = await keepOne(sameName, await ctx.ledger.idOf("server-group", plan.serverGroup.name), async (g) => {
    await serverGroups.remove(ctx.session, g.id, call);
    await io.event("warning", `deleted duplicate server group ${g.name} (${g.id}) left by an interrupted create`);
  });
  const group = kept ?? (await serverGroups.create(ctx.session, { name: plan.serverGroup.name, policy: plan.serverGroup.policy }, call)).resource;
  await ctx.ledger.record({ kind: "server-group", name: plan.serverGroup.name, openstackId: group.id, status: "present" });
  const ids = resolvedFrom(io.outputsOf("preflight"));
  const masters = plan.servers.filter((s) => s.serverGroup);
  const booted = await mapLimit(masters, ctx.tuning.callConcurrency, async (planned) => {
    const config = renderNodeConfig(withPortMacs(ctx.render, io.outputsOf("ports")), planned.node);
    assertFitsUserData(config, `the ${planned.node} config`);
    return bootServer(ctx, { node: planned.node, userData: serializeConfig(config), serverGroupId: group.id, ids }, io);
  });
  await io.event("info", `control plane: ${booted.filter((b) => b.created).length} servers created, ${booted.filter((b) => !b.created).length} adopted, in server group ${plan.serverGroup.name} (${plan.serverGroup.policy})`);
  await mapLimit(booted, ctx.tuning.callConcurrency, (b) => servers.waitForActive(ctx.session, b.server.id, { ...call, timeoutMs: ctx.tuning.serverWaitMs, intervalMs: ctx.tuning.pollMs }));
  await dropLateDuplicates(ctx, masters.map((m) => m.node), io);
  return { servers: booted.map((b) => b.server.id) };
});

export const waitBootstrapComplete = clusterStep("wait-bootstrap-complete", { timeoutMs: 90 * MINUTE, maxAttempts: 1 }, async (ctx, io) => {
  const access = ctx.kubeconfig ? parseKubeconfig(ctx.kubeconfig) : undefined;
  if (!access) await io.event("warning", "no kubeconfig was given: waiting for an operator to mark bootstrap complete");
  // The watch runs beside the loop that notices an operator's "mark bootstrap complete" in the database.
  const stop = new AbortController();
  const abort = () => stop.abort(io.signal.reason);
  io.signal.addEventListener("abort", abort, { once: true });
  let observed: BootstrapEndpoint | null = null;
  let lastDetail = "";
  const details: string[] = [];
  const watching = access
    ? waitForBootstrapComplete(access, bootstrapEndpoints(ctx.spec, access).filter((e) => ctx.tuning.bootstrapViaNodes || e.label === KUBECONFIG_SERVER), {
        signal: stop.signal,
        onDetail: (detail) => void details.push(detail),
        retryMs: ctx.tuning.bootstrapPollMs,
      }).then(
        (endpoint) => void (observed = endpoint),
        () => undefined,
      )
    : null;
  try {
    for (;;) {
      for (const detail of details.splice(0)) if (detail !== lastDetail) await io.event("info", (lastDetail = detail));
      const cluster = await ctx.db.cluster.findUniqueOrThrow({ where: { id: ctx.clusterId } });
      if (cluster.bootstrapCompletedAt) return { by: cluster.bootstrapCompletedBy ?? "unknown", at: cluster.bootstrapCompletedAt.toISOString() };
      if (observed) {
        const at = new Date();
        const by = `observed: kube-system/bootstrap status complete (${(observed as BootstrapEndpoint).label})`;
        await ctx.db.cluster.update({ where: { id: ctx.clusterId }, data: { bootstrapCompletedAt: at, bootstrapCompletedBy: by } });
        await io.event("info", `bootstrap complete, seen by ${(observed as BootstrapEndpoint).label}`);
        return { by: "observed", at: at.toISOString() };
      }
      await Promise.race([sleep(ctx.tuning.bootstrapPollMs, io.signal), ...(watching ? [watching] : [])]);
    }
  } finally {
    stop.abort();
    io.signal.removeEventListener("abort", abort);
  }
});
