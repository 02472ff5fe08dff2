import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNodeConfig, serializeConfig, sha512Hex } from "@/lib/ignition";
import { buildClusterContext, storedSpec } from "@/lib/lifecycle/context";
import { markBootstrapComplete, startOperation } from "@/lib/data/clusters";
import { OperationConflictError } from "@/lib/data/errors";
import { withPortMacs } from "@/lib/lifecycle/steps/ignition";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as rules from "@/lib/openstack/neutron/security-group-rules/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { computeRequest } from "@/lib/openstack/nova/versions/requests";
import { planCluster } from "@/lib/plan";
import { demoSpecInput } from "../../support/demo-spec";
import { testDb } from "../../support/db";
import { startKubeApiStandin, type KubeApiStandin } from "../../support/kube-api-standin";
import { adminSession, draftDemo, FAST, inProcessWorker, isActive, leftovers, leftoverScope, setupTenant, tenantSession, waitForOperation, type Tenant, tearDownEverything } from "./harness";

const db = testDb();
const admin = adminSession();
const tenantCloud = tenantSession();

describe("a cluster's whole life on the real local cloud", { timeout: 600_000 }, () => {
  let tenant: Tenant;
  let api: KubeApiStandin;
  let worker: ReturnType<typeof inProcessWorker>;
  let clusterId: string;

  beforeAll(async () => {
    tenant = await setupTenant(db);
    api = await startKubeApiStandin("starting");
    worker = inProcessWorker(db);
  });
  afterAll(async () => {
    await worker.stop();
    await tearDownEverything(db);
    await api.stop();
    await db.$disconnect();
  });

  it("creates every planned resource, boots the bootstrap from a pointer config and waits for bootstrap-complete", async () => {
    clusterId = (await draftDemo(db, tenant, { kubeconfig: api.kubeconfig })).id;
    const { operationId } = await startOperation(db, tenant.member, { clusterId, kind: "create" });
    const op = await waitForOperation(db, operationId, (o) => !isActive(o) || o.steps.some((s) => s.name === "wait-bootstrap-complete" && s.status === "running"));
    expect(op.status).toBe("running");

    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const spec = storedSpec(cluster);
    const plan = planCluster(spec, { clusterId, infraId: cluster.infraId });

    // Servers ACTIVE, each with its 4 ports in NIC order (Nova keeps the requested order in `addresses`).
    const live = (await servers.list(tenantCloud)).filter((s) => s.name.startsWith(`${cluster.infraId}-`));
    expect(live.map((s) => s.name).sort()).toEqual(plan.servers.map((s) => s.name).sort());
    for (const server of live) {
      expect(server.status).toBe("ACTIVE");
      expect(Object.keys(server.addresses)).toEqual(["tripod-outbound", "tripod-cluster", "tripod-management", "tripod-public"]);
      const planned = plan.servers.find((s) => s.name === server.name)!;
      const attached = await ports.list(tenantCloud, { deviceId: server.id });
      for (const [i, name] of planned.ports.entries()) {
        const port = attached.find((p) => p.name === name)!;
        expect(port.fixedIps[0].ipAddress).toBe(Object.values(server.addresses)[i][0].addr);
      }
    }

    // Ports: fixed IPs, allowed-address pairs, tags and security groups as planned.
    const clusterPorts = await ports.list(tenantCloud, { tags: [plan.tags[0]] });
    expect(clusterPorts).toHaveLength(plan.ports.length);
    const groups = await securityGroups.list(tenantCloud, { tags: [plan.tags[0]] });
    for (const planned of plan.ports) {
      const port = clusterPorts.find((p) => p.name === planned.name)!;
      expect(port.fixedIps.map((f) => f.ipAddress)).toEqual([planned.fixedIp]);
      expect(port.allowedAddressPairs.map((a) => a.ipAddress)).toEqual(planned.allowedAddressPairs.map((a) => a.ipAddress));
      expect(port.tags).toEqual(expect.arrayContaining(plan.tags));
      expect(port.portSecurityEnabled).toBe(true);
      expect(port.securityGroups.map((id) => groups.find((g) => g.id === id)!.name)).toEqual(planned.securityGroups.map((k) => `${cluster.infraId}-${k}`));
    }
    const liveRules = await rules.list(tenantCloud, { securityGroupId: groups.map((g) => g.id) });
    for (const g of plan.securityGroups) {
      const groupId = groups.find((x) => x.name === g.name)!.id;
      for (const r of g.rules) {
        const wanted = { securityGroupId: groupId, direction: "ingress" as const, protocol: r.protocol, portRangeMin: r.portMin, portRangeMax: r.portMax, remoteIpPrefix: r.remoteIpPrefix };
        expect(liveRules.some((rule) => rule.securityGroupId === groupId && rules.sameRule(rule, wanted)), `${g.name} ${r.description}`).toBe(true);
      }
    }
    expect(liveRules.some((r) => r.protocol === "112" && r.remoteIpPrefix === spec.networks.public.cidr)).toBe(true);
    // The internal API VIP: its reservation port on the Cluster network, VRRP allowed there from the Cluster CIDR.
    const apiIntVip = spec.networks.cluster.apiIntVip!;
    expect(clusterPorts.find((p) => p.name === `${cluster.infraId}-api-int-vip`)?.fixedIps.map((f) => f.ipAddress)).toEqual([apiIntVip]);
    expect(liveRules.some((r) => r.protocol === "112" && r.remoteIpPrefix === spec.networks.cluster.cidr)).toBe(true);

    // The Swift object, fetched through its temp URL without a token, is the generated bootstrap config ...
    const ctx = await buildClusterContext(db, clusterId, FAST);
    // Rendered with the MACs the ports step read from the created ports: each NIC config names its port's MAC.
    const portsStep = JSON.parse(op.steps.find((s) => s.name === "ports")!.outputsJson!);
    const render = withPortMacs(ctx.render, portsStep);
    for (const port of clusterPorts) {
      const planned = plan.ports.find((p) => p.name === port.name)!;
      if (planned.node) expect(render.macs[planned.node][planned.role]).toBe(port.macAddress.toLowerCase());
    }
    const bootstrapConfig = serializeConfig(renderNodeConfig(render, "bootstrap"));
    const upload = JSON.parse(op.steps.find((s) => s.name === "ignition-upload")!.outputsJson!) as { url: string };
    const fetched = await axios.get<string>(upload.url, { responseType: "text", transformResponse: (x) => x });
    expect(fetched.data).toBe(bootstrapConfig);
    // ... and the bootstrap's user data (read with admin rights) is the pointer config to it.
    const bootstrap = live.find((s) => s.name.endsWith("-bootstrap"))!;
    const raw = await computeRequest(admin, { method: "GET", path: `/servers/${bootstrap.id}`, headers: { "OpenStack-API-Version": "compute 2.3" } });
    const userData = (raw.data as { server: Record<string, string> }).server["OS-EXT-SRV-ATTR:user_data"];
    const pointer = JSON.parse(Buffer.from(userData, "base64").toString("utf8"));
    // (signed again right before the server was created, so the URL is one of its own).
    expect(pointer.ignition.config.merge).toEqual([{ source: expect.any(String), verification: { hash: `sha512-${sha512Hex(bootstrapConfig)}` } }]);
    const viaPointer = await axios.get<string>(pointer.ignition.config.merge[0].source, { responseType: "text", transformResponse: (x) => x });
    expect(viaPointer.data).toBe(bootstrapConfig);
    // Masters carry their full config.
    const master0 = live.find((s) => s.name.endsWith("-master-0"))!;
    const rawMaster = await computeRequest(admin, { method: "GET", path: `/servers/${master0.id}`, headers: { "OpenStack-API-Version": "compute 2.3" } });
    const masterData = Buffer.from((rawMaster.data as { server: Record<string, string> }).server["OS-EXT-SRV-ATTR:user_data"], "base64").toString("utf8");
    expect(masterData).toBe(serializeConfig(renderNodeConfig(render, "master-0")));
  });

  it("refuses a second cluster that does not fit the demo quota, naming the quota, and creates nothing", async () => {
    const input = demoSpecInput() as { name: string; networks: Record<string, { ips: Record<string, string>; apiVip?: string; ingressVip?: string }> };
    input.name = "second";
    for (const [role, net] of Object.entries(input.networks)) {
      const prefix = { outbound: "198.18.10", cluster: "198.18.20", management: "198.18.30", public: "198.18.40" }[role];
      net.ips = { bootstrap: `${prefix}.30`, master0: `${prefix}.31`, master1: `${prefix}.32`, master2: `${prefix}.33` };
    }
    input.networks.public.apiVip = "198.18.40.7";
    input.networks.public.ingressVip = "198.18.40.8";
    const second = await draftDemo(db, tenant, { spec: input });
    const { operationId } = await startOperation(db, tenant.member, { clusterId: second.id, kind: "create" });
    const op = await waitForOperation(db, operationId, (o) => !isActive(o), 60_000);
    expect(op.status).toBe("failed");
    // The seeded quota fits one cluster: the second fails on at least one quota, which the message names.
    expect(op.error).toMatch(/^preflight: .*quota\.\w+: the cluster needs \d+ of quota \w+ \((Nova|Neutron)\), only \d+ of \d+ are free/);
    expect(op.steps.find((s) => s.name === "ports")!.status).toBe("pending");
    const left = await leftovers(admin, tenantCloud, leftoverScope(second));
    expect(left).toEqual({ ports: [], securityGroups: [], servers: [], serverGroups: [], swift: [] });
  });

  it("finishes the create once the API reports bootstrap complete, removing only the bootstrap", async () => {
    const opId = (await db.operation.findFirstOrThrow({ where: { clusterId, kind: "create" } })).id;
    api.setPhase("complete");
    const op = await waitForOperation(db, opId, (o) => !isActive(o), 120_000);
    expect(op.status).toBe("succeeded");
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(cluster.status).toBe("ready");
    expect(cluster.bootstrapCompletedBy).toMatch(/^observed/);
    const names = (await servers.list(tenantCloud)).filter((s) => s.name.startsWith(`${cluster.infraId}-`)).map((s) => s.name).sort();
    expect(names).toEqual([0, 1, 2].map((i) => `${cluster.infraId}-master-${i}`));
    const left = await leftovers(admin, tenantCloud, leftoverScope(cluster));
    expect(left.ports.filter((p) => p.includes("-bootstrap-"))).toEqual([]);
    expect(left.swift).toEqual([`${cluster.infraId}-ignition`]);
  });

  it("tears down to zero: nothing tagged with the cluster remains in any project (admin listing of every kind)", async () => {
    // A member may not tear down a colleague's cluster; the creator may, and a second request is refused.
    const { operationId } = await startOperation(db, tenant.member, { clusterId, kind: "teardown" });
    await expect(startOperation(db, tenant.lead, { clusterId, kind: "teardown" })).rejects.toBeInstanceOf(OperationConflictError);
    const op = await waitForOperation(db, operationId, (o) => !isActive(o), 240_000);
    expect(op.status, op.error ?? "").toBe("succeeded");
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    expect(cluster.status).toBe("deleted");
    const left = await leftovers(admin, tenantCloud, leftoverScope(cluster));
    expect(left).toEqual({ ports: [], securityGroups: [], servers: [], serverGroups: [], swift: [] });
    expect(await db.resource.count({ where: { clusterId, status: "present" } })).toBe(0);
    await expect(markBootstrapComplete(db, tenant.member, { clusterId })).rejects.toThrow(/Only a lead/);
  });
});
