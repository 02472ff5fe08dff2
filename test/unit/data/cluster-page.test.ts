import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/policy";
import { ansibleInventory } from "@/lib/data/ansible-inventory";
import { portGrid, storedPlan, type CloudListing } from "@/lib/data/cluster-cloud";
import { downloadClusterFile } from "@/lib/data/cluster-files";
import { draftCluster, startOperation } from "@/lib/data/clusters";
import { getClusterView } from "@/lib/data/cluster-view";
import { ForbiddenError, InvalidStateError, NotFoundError } from "@/lib/data/errors";
import { getOversight } from "@/lib/data/oversight";
import { setProjectSettings } from "@/lib/data/projects";
import { decideTeardown, requestTeardown } from "@/lib/data/teardown";
import { refreshOperationHealth, recordVipHealth } from "@/lib/cluster-health";
import { openSecret } from "@/lib/crypto/seal";
import { derivedMacs } from "@/lib/ignition";
import { demoSpecInput } from "../../support/demo-spec";
import { projectWithPeople, standInNetworks, testDb } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

const KUBECONFIG = readFileSync("test/fixtures/kubeconfig-unreachable.yaml", "utf8");

describe("cluster page use cases", () => {
  let people: Awaited<ReturnType<typeof projectWithPeople>>;
  beforeAll(async () => {
    people = await projectWithPeople(db);
  });

  async function draft(name: string, extra: { kubeconfig?: string; kubeadminPassword?: string } = {}) {
    const { member, projectId, cloudId } = people;
    const result = await draftCluster(db, member, { projectId, cloudId, specJson: JSON.stringify({ ...demoSpecInput(), name }), ...extra }, standInNetworks);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.value.clusterId;
  }

  it("exports an Ansible inventory that ansible-inventory accepts, naming every port and VIP with its address and MAC", async () => {
    const clusterId = await draft("inv");
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const { spec, plan } = storedPlan(cluster);
    // The cloud's answer as Neutron and Nova would give it: every planned port ACTIVE with a MAC, one VIP pair missing.
    const listing: CloudListing = {
      at: new Date(),
      apiCalls: 3,
      ports: plan.ports.map((p, i) => ({
        id: `port-${i}`,
        name: p.name,
        description: "",
        networkId: p.network,
        projectId: "proj",
        status: "ACTIVE",
        macAddress: `fa:16:3e:00:00:${i.toString(16).padStart(2, "0")}`,
        deviceId: "",
        deviceOwner: "",
        fixedIps: [{ subnetId: p.subnet, ipAddress: p.fixedIp }],
        allowedAddressPairs: p.name.endsWith("master-2-public") ? p.allowedAddressPairs.slice(0, 1) : p.allowedAddressPairs,
        securityGroups: p.node ? [`sg-${p.role}`] : [],
        tags: plan.tags,
      })),
      securityGroups: plan.securityGroups.map((g) => ({ id: `sg-${g.key}`, name: g.name })),
      servers: plan.servers.map((s, i) => ({ id: `srv-${i}`, name: s.name, status: "ACTIVE" })),
    };
    const grid = portGrid(spec, plan, "ready", [], listing);
    // As a non-admin project sees it: Neutron's policy leaves binding:host_id out of the answer.
    expect(grid.rows[1].cells.public).toMatchObject({ bindingHost: null, bindingHostHidden: true, neutronStatus: "ACTIVE" });
    const missing = grid.rows.flatMap((r) => Object.values(r.cells)).filter((c) => c && c.vipPairs.missing.length);
    expect(missing.map((c) => [c!.name, c!.vipPairs.missing])).toEqual([[`${cluster.infraId}-master-2-public`, [spec.networks.public.ingressVip]]]);

    const dir = mkdtempSync(path.join(tmpdir(), "tripod-inventory-"));
    const file = path.join(dir, "inventory.yaml");
    writeFileSync(file, ansibleInventory(cluster, spec, plan, grid));
    const parsed = JSON.parse(execFileSync("ansible-inventory", ["-i", file, "--list"], { encoding: "utf8", env: { ...process.env, ANSIBLE_INVENTORY_UNPARSED_FAILED: "1", ANSIBLE_LOCAL_TEMP: dir, HOME: dir } }));
    expect(parsed.masters.hosts).toEqual(plan.servers.filter((s) => s.node !== "bootstrap").map((s) => s.name));
    expect(parsed.bootstrap.hosts).toEqual([`${cluster.infraId}-bootstrap`]);
    const hostvars = parsed._meta.hostvars as Record<string, { ports: Record<string, { name: string; fixed_ip: string; mac_address: string }>; vip_ports: { name: string; address: string }[]; os_apiVIP: string; os_ingressVIP: string }>;
    const portNames = Object.values(hostvars).flatMap((h) => Object.values(h.ports).map((p) => p.name));
    const nodePorts = plan.ports.filter((p) => p.node);
    expect(portNames.sort()).toEqual(nodePorts.map((p) => p.name).sort());
    for (const p of nodePorts) {
      const live = listing.ports.find((x) => x.name === p.name)!;
      const got = hostvars[`${cluster.infraId}-${p.node}`].ports[p.role];
      expect([got.fixed_ip, got.mac_address]).toEqual([p.fixedIp, live.macAddress]);
    }
    const anyHost = Object.values(hostvars)[0];
    expect(anyHost.vip_ports.map((v) => [v.name, v.address])).toEqual([
      [`${cluster.infraId}-api-vip`, spec.networks.public.apiVip],
      [`${cluster.infraId}-ingress-vip`, spec.networks.public.ingressVip],
      [`${cluster.infraId}-api-int-vip`, spec.networks.cluster.apiIntVip],
    ]);
    expect([anyHost.os_apiVIP, anyHost.os_ingressVIP]).toEqual([spec.networks.public.apiVip, spec.networks.public.ingressVip]);
  });

  it("while a teardown runs, what the cloud still lists is deleting and what it no longer lists deleted; missing otherwise", async () => {
    const clusterId = await draft("teardown-grid");
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const { spec, plan } = storedPlan(cluster);
    const [kept, gone] = plan.ports.filter((p) => p.node === "master-0");
    const port = (p: (typeof plan.ports)[number]) => ({ id: p.name, name: p.name, description: "", networkId: p.network, projectId: "proj", status: "ACTIVE", macAddress: "fa:16:3e:00:00:01", deviceId: "", deviceOwner: "", fixedIps: [{ subnetId: p.subnet, ipAddress: p.fixedIp }], allowedAddressPairs: [], securityGroups: [], tags: plan.tags });
    const listing: CloudListing = { at: new Date(), apiCalls: 3, ports: [port(kept)], securityGroups: [], servers: [{ id: "srv-0", name: plan.servers[1].name, status: "ACTIVE" }] };
    const ledger = [...[kept, gone].map((p) => ({ kind: "port", name: p.name, status: "present" })), ...plan.servers.slice(0, 2).map((s) => ({ kind: "server", name: s.name, status: "present" }))];
    const cellOf = (grid: ReturnType<typeof portGrid>, name: string) => grid.rows.flatMap((r) => Object.values(r.cells)).find((c) => c?.name === name)!;
    const tearing = portGrid(spec, plan, "tearing-down", ledger, listing);
    expect([cellOf(tearing, kept.name).status, cellOf(tearing, gone.name).status]).toEqual(["deleting", "deleted"]);
    expect(tearing.servers.slice(0, 2).map((s) => s.status)).toEqual(["deleted", "deleting"]);
    const ready = portGrid(spec, plan, "ready", ledger, listing);
    expect([cellOf(ready, kept.name).status, cellOf(ready, gone.name).status]).toEqual(["ACTIVE", "missing"]);
    expect(ready.servers.slice(0, 2).map((s) => s.status)).toEqual(["missing", "ACTIVE"]);
  });

  it("the draft's grid shows the planned name, NIC and IP without asking the cloud", async () => {
    const clusterId = await draft("planned");
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const { spec, plan } = storedPlan(cluster);
    const grid = portGrid(spec, plan, "draft", [], null);
    expect(grid.rows.map((r) => r.label)).toEqual(["bootstrap", "master-0", "master-1", "master-2", "API VIP", "Ingress VIP", "Internal API VIP"]);
    expect(grid.rows[1].cells.cluster).toMatchObject({ name: `${cluster.infraId}-master-0-cluster`, nic: "ens4", fixedIp: spec.networks.cluster.ips.master0, status: "planned", mac: null });
  });

  it("downloads: members get the kubeconfig, password, redacted Ignition and the log; full Ignition is for leads; other projects see nothing; all audited", async () => {
    const { member, lead, outsider } = people;
    const clusterId = await draft("dl", { kubeconfig: KUBECONFIG, kubeadminPassword: "Xy7-secret-pass" });
    const get = (actor: Actor, file: string, query = "") => downloadClusterFile(db, actor, { id: clusterId, file }, new Request(`http://t/api/clusters/${clusterId}/files/${file}${query}`));
    expect((await get(member, "kubeconfig")).body).toBe(KUBECONFIG);
    expect((await get(member, "kubeadmin-password")).body).toBe("Xy7-secret-pass");
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const authPass = openSecret(cluster.authPassSealed!);
    // No configs before the ports exist: each NIC config names its port's MAC.
    await expect(get(member, "ignition", "?node=master-0")).rejects.toBeInstanceOf(NotFoundError);
    // The create's ports step, as the worker records it: the MAC of every node port.
    const op = await db.operation.create({ data: { clusterId, kind: "create", status: "running", requestedById: member.id } });
    await db.step.create({ data: { operationId: op.id, name: "ports", position: 2, status: "succeeded", finishedAt: new Date(), outputsJson: JSON.stringify({ macs: derivedMacs(cluster.infraId) }) } });
    const redacted = await get(member, "ignition", "?node=master-0");
    expect(redacted.body).toContain("/etc/keepalived");
    expect(redacted.body).not.toContain(Buffer.from(authPass).toString("base64"));
    expect(redacted.body).not.toContain(encodeURIComponent(authPass));
    await expect(get(member, "ignition", "?node=master-0&full=1")).rejects.toBeInstanceOf(ForbiddenError);
    const full = await get(lead, "ignition", "?node=master-0&full=1");
    expect(JSON.parse(full.body).ignition.version).toMatch(/^3\./);
    expect((await get(member, "log")).body).toContain("events:");
    await expect(get(outsider, "kubeconfig")).rejects.toBeInstanceOf(NotFoundError);
    await expect(get(member, "nonsense")).rejects.toThrow(/Unknown file/);
    const audits = await db.auditLog.findMany({ where: { action: "cluster.download", target: "cluster dl" } });
    expect(audits.filter((a) => a.outcome === "succeeded").length).toBeGreaterThanOrEqual(5);
    expect(audits.filter((a) => a.outcome === "denied").map((a) => a.actor)).toEqual(expect.arrayContaining([outsider.username, member.username]));
  });

  it("two-person teardown: one member asks, another approves; nobody approves their own request", async () => {
    const { member, colleague, lead, outsider, projectId } = people;
    // The project's setting (its page, leads).
    await setProjectSettings(db, lead, { projectId, twoPersonTeardown: "on" });
    const clusterId = await draft("pair");
    await db.cluster.update({ where: { id: clusterId }, data: { status: "ready" } });
    await expect(startOperation(db, member, { clusterId, kind: "teardown" })).rejects.toBeInstanceOf(InvalidStateError);
    const asked = await requestTeardown(db, member, { clusterId });
    expect("approvalRequestId" in asked).toBe(true);
    const requestId = (asked as { approvalRequestId: string }).approvalRequestId;
    await expect(requestTeardown(db, member, { clusterId })).rejects.toThrow(/already asked/);
    const view = await getClusterView(db, colleague, clusterId);
    expect(view.teardownRequest?.requestedBy).toBe(member.username);
    expect(view.can.approveTeardown).toBe(true);
    expect((await getClusterView(db, member, clusterId)).can.approveTeardown).toBe(false);
    expect((await getOversight(db, lead)).rows.find((r) => r.id === clusterId)?.needsApproval?.requestedBy).toBe(member.username);
    await expect(decideTeardown(db, member, { requestId, decision: "approve" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(decideTeardown(db, outsider, { requestId, decision: "approve" })).rejects.toBeInstanceOf(NotFoundError);
    const approved = await decideTeardown(db, colleague, { requestId, decision: "approve" });
    const op = await db.operation.findUniqueOrThrow({ where: { id: approved.operationId! }, include: { requestedBy: true, approvedBy: true } });
    expect([op.kind, op.requestedBy.username, op.approvedBy?.username]).toEqual(["teardown", member.username, colleague.username]);
    await expect(decideTeardown(db, lead, { requestId, decision: "approve" })).rejects.toBeInstanceOf(InvalidStateError);
    const trail = await db.auditLog.findMany({ where: { target: "cluster pair", action: { startsWith: "teardown." } }, orderBy: { at: "asc" } });
    expect(trail.map((a) => [a.action, a.actor, a.outcome])).toEqual([
      ["teardown.request", member.username, "succeeded"],
      ["teardown.approve", member.username, "denied"],
      ["teardown.approve", outsider.username, "denied"],
      ["teardown.approve", colleague.username, "succeeded"],
    ]);
    await setProjectSettings(db, lead, { projectId });
  });

  it("oversight: a step past its timeout is stuck though its worker beats; VIPs are counted per VIP", async () => {
    const { member, lead } = people;
    const clusterId = await draft("slow");
    // The ports step (10 min timeout) has run for 11 minutes; the worker's lease is fresh.
    const op = await db.operation.create({
      data: { clusterId, kind: "create", status: "running", activeClusterId: clusterId, requestedById: member.id, leaseOwner: "w", leaseExpiresAt: new Date(Date.now() + 60_000) },
    });
    await db.step.create({ data: { operationId: op.id, name: "ports", position: 2, status: "running", attempt: 1, startedAt: new Date(Date.now() - 11 * 60_000) } });
    await db.cluster.update({ where: { id: clusterId }, data: { status: "creating" } });
    await refreshOperationHealth(db, clusterId);
    // One VIP down, one ok, as the last agent message left them.
    await recordVipHealth(
      db,
      clusterId,
      { status: "down", heardAt: new Date(), vips: [{ vip: "api", status: "down", holders: [], problems: ["no-holder"] }, { vip: "ingress", status: "ok", holders: ["master-0"], problems: [] }] },
      new Date(),
    );
    const stuck = await getOversight(db, lead, { problem: "stuck" });
    const row = stuck.rows.find((r) => r.id === clusterId);
    expect(row?.operation).toMatchObject({ step: "ports", stuck: "past the step's 10 min timeout" });
    expect(row?.operation?.stepSince).not.toBeNull();
    expect(stuck.totals.stuck).toBeGreaterThanOrEqual(1);
    const all = await getOversight(db, lead);
    expect(all.vips.counts.down).toBeGreaterThanOrEqual(1);
    expect(all.vips.counts.ok).toBeGreaterThanOrEqual(1);
    expect(all.vips.clusters.find((c) => c.clusterId === clusterId)?.vips.map((v) => v.status)).toEqual(["down", "ok"]);
  });
});
