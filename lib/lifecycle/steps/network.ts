import type { NetworkRole } from "@/lib/domain";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import type { Port } from "@/lib/openstack/neutron/ports/results";
import * as rules from "@/lib/openstack/neutron/security-group-rules/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import { clusterStep, mapLimit, ownName, sameSet } from "./common";
import { ensure, reconcileTags } from "./ensure";
import { resolvedIds } from "./preflight";

const MINUTE = 60_000;

export const createPorts = clusterStep("ports", { timeoutMs: 10 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  const resolved = resolvedIds(io);
  // One list per network finds what an earlier (crashed) run created, tagged or not yet tagged.
  const existing = new Map<string, Port>();
  for (const networkId of new Set(Object.values(resolved.networkIds))) {
    for (const port of await ports.list(s, { networkId }, call)) if (ownName(ctx, port.name)) existing.set(port.name, port);
  }
  const ensured = await mapLimit(plan.ports, ctx.tuning.callConcurrency, (planned) =>
    ensure(ctx, io, {
      kind: planned.node ? "port" : "vip-port",
      name: planned.name,
      record: { node: planned.node, networkRole: planned.role },
      find: async () => (existing.has(planned.name) ? [existing.get(planned.name)!] : []),
      create: () =>
        ports.create(
          s,
          {
            name: planned.name,
            networkId: resolved.networkIds[planned.role],
            fixedIps: [{ subnetId: resolved.subnetIds[planned.role], ipAddress: planned.fixedIp }],
            allowedAddressPairs: planned.allowedAddressPairs,
            portSecurityEnabled: true,
            tags: plan.tags,
          },
          call,
        ),
      async reconcile(port) {
        const tagged = await reconcileTags(s, "ports", port, plan.tags, io.signal);
        const pairs = planned.allowedAddressPairs;
        if (sameSet(tagged.allowedAddressPairs.map((p) => p.ipAddress), pairs.map((p) => p.ipAddress))) return tagged;
        return ports.update(s, tagged.id, { allowedAddressPairs: pairs }, call);
      },
    }),
  );
  const created = ensured.filter((e) => e.created).length;
  await io.event("info", `${plan.ports.length} ports present (${created} created, ${plan.ports.length - created} adopted)`);
  // The NIC configs match each NIC by its port's MAC (withPortMacs in ignition.ts).
  const macs: Record<string, Record<string, string>> = {};
  plan.ports.forEach((planned, i) => {
    if (planned.node) (macs[planned.node] ??= {})[planned.role] = ensured[i].resource.macAddress.toLowerCase();
  });
  return { ports: plan.ports.length, created, macs };
});

export const createSecurityGroups = clusterStep("security-groups", { timeoutMs: 10 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  const listed = (await securityGroups.list(s, {}, call)).filter((g) => ownName(ctx, g.name));
  const groupIds = {} as Record<NetworkRole, string>;
  await mapLimit(plan.securityGroups, ctx.tuning.callConcurrency, async (planned) => {
    const { resource: group } = await ensure(ctx, io, {
      kind: "security-group",
      name: planned.name,
      record: { networkRole: planned.key },
      find: async () => listed.filter((g) => g.name === planned.name),
      create: () => securityGroups.create(s, { name: planned.name, description: `Tripod cluster ${ctx.infraId}: ${planned.key} network`, tags: plan.tags }, call),
      removeDuplicate: (g) => securityGroups.remove(s, g.id, call),
      reconcile: (g) => reconcileTags(s, "security-groups", g, plan.tags, io.signal),
    });
    groupIds[planned.key] = group.id;
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
