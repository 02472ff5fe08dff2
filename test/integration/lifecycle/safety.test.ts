import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandOperation, startOperation } from "@/lib/data/clusters";
import { sweepCloudOrphans } from "@/lib/data/drift";
import { reconcileCloud } from "@/lib/lifecycle/reconcile";
import { cloudSession, DEFAULT_TUNING } from "@/lib/lifecycle/context";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import { computeRequest } from "@/lib/openstack/nova/versions/requests";
import { planCluster } from "@/lib/plan";
import { validateClusterSpec } from "@/lib/cluster-spec";
import { STEP_NAMES } from "@/lib/domain";
import { demoSpecInput } from "../../support/demo-spec";
import { testDb, uniq } from "../../support/db";
import { startFaultProxy, type FaultProxy } from "../../cloud/fault-proxy";
import { cloudOptions, seed } from "../openstack/cloud";
import { adminSession, draftDemo, FAST, inProcessWorker, isActive, setupTenant, tenantSession, waitForOperation, tearDownEverything, type Tenant } from "./harness";

// Lifecycle safety on the real local cloud (through the fault proxy, which answers scripted faults):
//  - a 403 and a quota error fail their step in one attempt with the cloud's message; a 503 is retried;
//  - a create resumed after the temp URL expired boots the bootstrap with a fresh one;
//  - the reconciler reports a resource deleted behind Tripod's back, an extra tagged port and an orphan of a deleted
//    cluster within one cycle; the sweep removes the orphan and nothing else;
//  - a server DELETE refused with 409 is asked again, within the step's first attempt;
//  - a second cluster named after the first's infra id keeps every resource when the first is torn down (the demo
//    quota fits one cluster: the second's resources are made directly, named and tagged as Tripod would).

const db = testDb();
const admin = adminSession();
const tenantCloud = tenantSession();
// The create's first worker signs temp URLs for a few seconds only, so that the one the upload step signed has expired
// by the second test; the resumed create runs under a worker with the default lifetime (its fresh URL must outlive
// the bootstrap's boot).
const FIRST_TTL_SECONDS = 5;

const stepOf = (op: { steps: { name: string; status: string; attempt: number; error: string | null; outputsJson: string | null }[] }, name: string) => op.steps.find((s) => s.name === name)!;
const opWithSteps = (id: string) => db.operation.findUniqueOrThrow({ where: { id }, include: { steps: { orderBy: { position: "asc" } } } });

/** Every port and security group of the demo project, as the cloud's admin lists them: name → id. */
async function adminListing(filter: (name: string) => boolean) {
  const [p, g] = await Promise.all([ports.list(admin), securityGroups.list(admin)]);
  return {
    ports: p.filter((x) => filter(x.name)).map((x) => `${x.name} ${x.id}`).sort(),
    securityGroups: g.filter((x) => filter(x.name)).map((x) => `${x.name} ${x.id}`).sort(),
  };
}

describe("lifecycle safety on the local cloud", { timeout: 1_200_000 }, () => {
  let proxy: FaultProxy;
  let worker: ReturnType<typeof inProcessWorker>;
  let tenant: Tenant;
  let clusterId: string;
  let infraId: string;
  let createId: string;
  const made: string[] = []; // ports and groups this test made directly: "port:<id>" / "sg:<id>"

  beforeAll(async () => {
    proxy = await startFaultProxy({ keystoneUrl: cloudOptions().authUrl, seed: 15 });
    worker = inProcessWorker(db, { ...FAST, tuning: { ...FAST.tuning, tempUrlTtlSeconds: FIRST_TTL_SECONDS } });
    tenant = await setupTenant(db, { cloudName: "safety-through-proxy", authUrl: proxy.url });
  });
  afterAll(async () => {
    await worker.stop();
    await tearDownEverything(db);
    for (const m of made) {
      const [kind, id] = m.split(":");
      await (kind === "port" ? ports.remove(admin, id) : securityGroups.remove(admin, id)).catch(() => undefined);
    }
    await proxy.stop();
    await db.$disconnect();
  });

  it("fails a step at once on a 403 and on a quota error, with the cloud's message, and retries a 503", async () => {
    const cluster = await draftDemo(db, tenant);
    clusterId = cluster.id;
    infraId = cluster.infraId;
    proxy.script({ method: "POST", path: /\/v2\.0\/ports(\?|$)/, status: 403, body: { NeutronError: { type: "PolicyNotAuthorized", message: "rule:create_port is disallowed by policy", detail: "" } } });
    createId = (await startOperation(db, tenant.member, { clusterId, kind: "create" })).operationId;
    let op = await waitForOperation(db, createId, (o) => !isActive(o));
    expect(op.status).toBe("failed");
    expect(stepOf(op, "ports")).toMatchObject({ status: "failed", attempt: 1 });
    expect(stepOf(op, "ports").error).toBe("network refused POST /v2.0/ports: 403 rule:create_port is disallowed by policy");

    // One 503 on a port create: backed off and sent again (the port create looks before it repeats a POST). Then
    // Nova's quota error on the bootstrap server's create stops the bootstrap step at its first attempt.
    proxy.script({ method: "POST", path: /\/v2\.0\/ports(\?|$)/, status: 503, body: { NeutronError: { type: "ServiceUnavailable", message: "try later", detail: "" } } });
    proxy.script({ method: "POST", path: /\/servers(\?|$)/, status: 403, body: { forbidden: { code: 403, message: "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances" } } });
    await commandOperation(db, tenant.member, { operationId: createId, command: "retry" });
    op = await waitForOperation(db, createId, (o) => !isActive(o));
    expect(proxy.scripted()).toEqual([1, 1, 1]);
    expect(stepOf(op, "ports").status).toBe("succeeded");
    expect(stepOf(op, "ports").attempt).toBeGreaterThanOrEqual(2);
    expect(op.status).toBe("failed");
    expect(stepOf(op, "bootstrap")).toMatchObject({ status: "failed", attempt: 1 });
    expect(stepOf(op, "bootstrap").error).toMatch(/^compute refused POST \/[^ ]*servers: 403 Quota exceeded for instances: Requested 1, but already used 10 of 10 instances$/);
  });

  it("boots the bootstrap with a freshly signed temp URL when the create resumes after the first one expired", async () => {
    const before = await opWithSteps(createId);
    const upload = JSON.parse(stepOf(before, "ignition-upload").outputsJson!) as { url: string; expires: number };
    const wait = upload.expires * 1000 - Date.now() + 1_500;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect((await axios.get(upload.url, { validateStatus: () => true })).status).toBe(401); // expired
    await worker.stop();
    worker = inProcessWorker(db);
    const retriedAt = Math.floor(Date.now() / 1000);
    await commandOperation(db, tenant.member, { operationId: createId, command: "retry" });
    const op = await waitForOperation(db, createId, (o) => !isActive(o) || o.steps.some((s) => s.name === "bootstrap" && s.status === "succeeded"));
    const boot = JSON.parse(stepOf(op, "bootstrap").outputsJson!) as { serverId: string; tempUrlExpires: number };
    expect(boot.tempUrlExpires).toBeGreaterThanOrEqual(retriedAt + DEFAULT_TUNING.tempUrlTtlSeconds);
    const raw = await computeRequest(admin, { method: "GET", path: `/servers/${boot.serverId}`, headers: { "OpenStack-API-Version": "compute 2.3" } });
    const pointer = JSON.parse(Buffer.from((raw.data as { server: Record<string, string> }).server["OS-EXT-SRV-ATTR:user_data"], "base64").toString("utf8"));
    const source: string = pointer.ignition.config.merge[0].source;
    expect(source).not.toBe(upload.url);
    expect(Number(new URL(source).searchParams.get("temp_url_expires"))).toBe(boot.tempUrlExpires);
    const fetched = await axios.get(source, { validateStatus: () => true, responseType: "text", transformResponse: (x) => x });
    expect(fetched.status).toBe(200);
    expect(JSON.parse(fetched.data).ignition.version).toMatch(/^3\./);
  });

  it("reports a port deleted behind Tripod's back, an extra tagged port and an orphan within one cycle; the sweep removes only the orphan", async () => {
    // Let the create reach its wait, then cancel it: the cluster is "failed" with everything still in the cloud.
    await waitForOperation(db, createId, (o) => !isActive(o) || o.steps.some((s) => s.name === "wait-bootstrap-complete" && s.status === "running"));
    await commandOperation(db, tenant.member, { operationId: createId, command: "cancel" });
    await waitForOperation(db, createId, (o) => !isActive(o));

    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
    const publicNet = seed.networks.find((n) => n.role === "public")!;
    const victim = `${infraId}-master-2-management`;
    const victimId = (await db.resource.findFirstOrThrow({ where: { clusterId, name: victim } })).openstackId!;
    await ports.remove(admin, victimId);
    const tags = [`tripod-cluster=${clusterId}`, `openshiftClusterID=${infraId}`];
    const extra = await ports.create(tenantCloud, { name: `${infraId}-stray`, networkId: publicNet.id, tags });
    made.push(`port:${extra.resource.id}`);
    // An orphan: tagged for a cluster Tripod has deleted.
    const gone = await draftDemo(db, tenant, { spec: { ...demoSpecInput(), name: uniq("gone").slice(0, 12) } });
    await db.cluster.update({ where: { id: gone.id }, data: { status: "deleted" } });
    const orphan = await ports.create(tenantCloud, { name: `${gone.infraId}-master-0-public`, networkId: publicNet.id, tags: [`tripod-cluster=${gone.id}`, `openshiftClusterID=${gone.infraId}`] });
    made.push(`port:${orphan.resource.id}`);

    const session = cloudSession(await db.cloud.findUniqueOrThrow({ where: { id: cluster.cloudId } }));
    const findings = await reconcileCloud(db, cluster.cloudId, session);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "missing", clusterId, name: victim, openstackId: victimId }),
        expect.objectContaining({ kind: "extra", clusterId, name: `${infraId}-stray`, openstackId: extra.resource.id }),
        expect.objectContaining({ kind: "orphan", clusterId: gone.id, name: `${gone.infraId}-master-0-public`, openstackId: orphan.resource.id }),
      ]),
    );
    // Nothing of the live cluster is taken for an orphan (other orphans, left in the shared project by earlier
    // runs, may be listed too: the sweep removes exactly the orphans listed).
    const orphanIds = findings.filter((f) => f.kind === "orphan").map((f) => f.openstackId);
    expect(orphanIds).toContain(orphan.resource.id);
    expect(findings.filter((f) => f.kind === "orphan" && f.clusterId === clusterId)).toEqual([]);
    expect(await db.driftFinding.count({ where: { cloudId: cluster.cloudId } })).toBe(findings.length);

    const beforeSweep = await adminListing(() => true);
    await expect(sweepCloudOrphans(db, tenant.member, { cloudId: cluster.cloudId })).rejects.toThrow("Only a lead of the project may sweep its orphans.");
    expect(await sweepCloudOrphans(db, tenant.lead, { cloudId: cluster.cloudId })).toEqual({ deleted: orphanIds.length });
    const afterSweep = await adminListing(() => true);
    expect(afterSweep.ports).toEqual(beforeSweep.ports.filter((p) => !orphanIds.some((id) => p.endsWith(` ${id}`))));
    expect(afterSweep.ports).toContain(`${infraId}-stray ${extra.resource.id}`);
    expect(afterSweep.securityGroups).toEqual(beforeSweep.securityGroups);
    expect(await db.auditLog.count({ where: { action: "drift.sweep", outcome: "succeeded", detail: { contains: orphan.resource.id } } })).toBe(1);
    expect(await db.driftFinding.count({ where: { cloudId: cluster.cloudId, kind: "orphan" } })).toBe(0);
  });

  it("tears the first cluster down and leaves every resource of a second one named after its infra id", async () => {
    // The second cluster: known to Tripod, named after the first's infra id; its resources made directly.
    const raw = { ...demoSpecInput(), name: infraId };
    const second = await draftDemo(db, tenant, { spec: raw });
    await db.cluster.update({ where: { id: second.id }, data: { status: "ready" } });
    const spec = validateClusterSpec(raw);
    if (!spec.ok) throw new Error("spec");
    const plan = planCluster(spec.spec, { clusterId: second.id, infraId: second.infraId });
    expect(second.infraId.startsWith(`${infraId}-`)).toBe(true);
    for (const planned of plan.ports.filter((p) => p.node === "master-0")) {
      const net = seed.networks.find((n) => n.role === planned.role)!;
      made.push(`port:${(await ports.create(tenantCloud, { name: planned.name, networkId: net.id, tags: plan.tags })).resource.id}`);
    }
    // A port of the second cluster whose create died before its tag, and something else named with the first's prefix.
    const untagged = plan.ports.find((p) => p.node === "master-1" && p.role === "public")!;
    made.push(`port:${(await ports.create(tenantCloud, { name: untagged.name, networkId: seed.networks.find((n) => n.role === "public")!.id })).resource.id}`);
    made.push(`port:${(await ports.create(tenantCloud, { name: `${infraId}-someone-elses`, networkId: seed.networks.find((n) => n.role === "public")!.id })).resource.id}`);
    const group = plan.securityGroups.find((g) => g.key === "public")!;
    made.push(`sg:${(await securityGroups.create(tenantCloud, { name: group.name, description: "second cluster", tags: plan.tags })).resource.id}`);

    const othersOfPrefix = (name: string) => name.startsWith(`${second.infraId}-`) || name === `${infraId}-someone-elses`;
    const before = await adminListing(othersOfPrefix);
    expect(before.ports).toHaveLength(6);
    expect(before.securityGroups).toHaveLength(1);

    // Nova refuses the first server DELETE (409, as for a locked server): the teardown asks again on its next poll
    // instead of waiting for a deletion that never started (until the step's bound).
    proxy.script({ method: "DELETE", path: /\/servers\/[0-9a-f-]+$/, status: 409, body: { conflictingRequest: { code: 409, message: "Instance is locked" } } });
    const teardown = await startOperation(db, tenant.member, { clusterId, kind: "teardown" });
    const done = await waitForOperation(db, teardown.operationId, (o) => !isActive(o));
    expect(done.status, done.error ?? "").toBe("succeeded");
    expect(proxy.scripted().at(-1)).toBe(1);
    expect((await opWithSteps(teardown.operationId)).steps.map((s) => `${s.name} ${s.attempt}`)).toEqual(
      STEP_NAMES.teardown.map((n) => `${n} 1`),
    );

    const after = await adminListing(othersOfPrefix);
    expect(after).toEqual(before);
    // The first cluster is gone, its stray tagged port with it.
    const firstLeft = await adminListing((name) => name.startsWith(`${infraId}-`) && !othersOfPrefix(name));
    expect(firstLeft).toEqual({ ports: [], securityGroups: [] });
  });
});
