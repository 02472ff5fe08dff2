import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getClusterCloud } from "@/lib/data/cluster-cloud";
import { draftCluster } from "@/lib/data/clusters";
import { EVENTS_ON_PAGE, getClusterView } from "@/lib/data/cluster-view";
import { NotFoundError } from "@/lib/data/errors";
import { STEP_NAMES } from "@/lib/domain";
import { sleep } from "@/lib/util/sleep";
import { demoSpecInput } from "../../support/demo-spec";
import { closeOpenstackStandIn, openstackStandIn, standInCredentials } from "../../support/openstack-standin";
import { projectWithPeople, standInNetworks, testDb, uniq } from "../../support/db";

// The cluster page's read model, read with raw SQL past Prisma (lib/db.ts readRows), value by value against the rows
// the test wrote: the drivers' dates, booleans and integers, the orders, the one-to-one facts of the cluster row,
// the VIP panel and the drift. Runs on SQLite and on PostgreSQL (test/bin/test.sh).

const db = testDb();
afterAll(async () => {
  await closeOpenstackStandIn();
  await db.$disconnect();
});

describe("the cluster view", () => {
  let people: Awaited<ReturnType<typeof projectWithPeople>>;
  let clusterId: string;
  const t = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 12, minutes, 30, 123));

  beforeAll(async () => {
    people = await projectWithPeople(db);
    const { member, colleague, lead, projectId, cloudId } = people;
    const name = uniq("view").toLowerCase();
    const draft = await draftCluster(db, member, { projectId, cloudId, specJson: JSON.stringify({ ...demoSpecInput(), name }), kubeadminPassword: "Xy7-secret-pass" }, standInNetworks);
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    clusterId = draft.value.clusterId;
    await db.project.update({ where: { id: projectId }, data: { twoPersonTeardown: true } });
    await db.cluster.update({ where: { id: clusterId }, data: { status: "ready", vrrpApiId: 17, vrrpIngressId: 18, bootstrapCompletedAt: t(5), bootstrapCompletedBy: "observed" } });
    await db.resource.updateMany({ where: { clusterId }, data: { status: "present" } });
    // two operations: the older a create that succeeded, the newer a teardown that failed, approved and cancelled
    const create = await db.operation.create({ data: { clusterId, kind: "create", status: "succeeded", requestedById: member.id, createdAt: t(0), finishedAt: t(30) } });
    await db.step.create({ data: { operationId: create.id, name: "preflight", position: 0, status: "succeeded", attempt: 2, apiCalls: 9, startedAt: t(1), finishedAt: t(2) } });
    const teardown = await db.operation.create({
      data: { clusterId, kind: "teardown", status: "failed", requestedById: colleague.id, approvedById: lead.id, cancelRequested: true, error: "boom", createdAt: t(40) },
    });
    await db.step.create({ data: { operationId: teardown.id, name: STEP_NAMES.teardown[0], position: 0, status: "failed", attempt: 1, apiCalls: 3, startedAt: t(41), error: "no" } });
    for (const [minute, level] of [[3, "info"], [9, "warning"], [6, "error"]] as const) {
      await db.event.create({ data: { clusterId, at: t(minute), level, step: minute === 3 ? null : "ports", message: `at ${minute}` } });
    }
    await db.teardownRequest.create({ data: { clusterId, requestedById: colleague.id, status: "withdrawn", createdAt: t(50) } });
    await db.teardownRequest.create({ data: { clusterId, requestedById: member.id, status: "pending", createdAt: t(51) } });
    await db.driftFinding.create({ data: { cloudId, clusterId, key: uniq("k"), kind: "missing", resourceKind: "port", name: "b", detail: "gone", firstSeenAt: t(20), lastSeenAt: t(25) } });
    await db.driftFinding.create({ data: { cloudId, clusterId, key: uniq("k"), kind: "orphan", resourceKind: "server", name: "a", openstackId: "os-1", detail: "extra", firstSeenAt: t(10), lastSeenAt: t(25) } });
    const since = new Date(Date.now() - 30 * 60_000);
    await db.vrrpTransition.create({ data: { clusterId, node: "master-1", instance: `${name}_API`, vip: "api", state: "MASTER", priority: 50, at: since, receivedAt: since } });
  });

  it("answers every value as the rows hold it", async () => {
    const { member, colleague, lead } = people;
    const view = await getClusterView(db, colleague, clusterId);
    const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId }, include: { cloud: true, project: true } });
    expect(view).toMatchObject({
      id: clusterId,
      name: cluster.name,
      project: cluster.project.name,
      cloud: cluster.cloud.name,
      status: "ready",
      createdBy: member.username,
      createdAt: cluster.createdAt.toISOString(),
      vrrp: { apiId: 17, ingressId: 18 },
      endpoints: { apiVip: demoSpecInput().networks.public.apiVip },
      bootstrapCompleted: { at: t(5).toISOString(), by: "observed" },
      hasKubeconfig: false,
      hasKubeadminPassword: true,
      leads: [lead.username],
      twoPersonTeardown: true,
      viewer: colleague.username,
      teardownRequest: { requestedBy: member.username, requestedById: member.id, at: t(51).toISOString() },
      can: { approveTeardown: true, reopen: false },
      ingestWarning: expect.any(String),
    });
    expect(view.operations.map((o) => [o.kind, o.status, o.requestedBy, o.approvedBy, o.createdAt, o.finishedAt, o.error, o.cancelRequested])).toEqual([
      ["teardown", "failed", colleague.username, lead.username, t(40).toISOString(), null, "boom", true],
      ["create", "succeeded", member.username, null, t(0).toISOString(), t(30).toISOString(), null, false],
    ]);
    expect(view.operations[1].steps[0]).toEqual({ name: "preflight", status: "succeeded", attempt: 2, apiCalls: 9, startedAt: t(1).toISOString(), finishedAt: t(2).toISOString(), error: null });
    expect(view.operations[0].steps[0]).toMatchObject({ status: "failed", attempt: 1, apiCalls: 3, finishedAt: null, error: "no" });
    expect(view.operations[0].steps.slice(1).every((s) => s.status === "pending" && s.attempt === 0)).toBe(true);
    expect(view.events).toEqual([
      { at: t(9).toISOString(), level: "warning", step: "ports", message: "at 9" },
      { at: t(6).toISOString(), level: "error", step: "ports", message: "at 6" },
      { at: t(3).toISOString(), level: "info", step: null, message: "at 3" },
    ]);
    expect(view.ports[1].cells.public).toMatchObject({ name: `${cluster.infraId}-master-0-public`, status: "present", openstackId: null });
    expect(view.vipPorts.map((p) => p.label)).toEqual(["API VIP", "Ingress VIP", "Internal API VIP"]);
    // by kind (security groups, servers, server group, Swift), then by name
    const byKindThenName = view.otherResources.map((r) => `${r.kind} ${r.name}`);
    expect(byKindThenName).toEqual([...byKindThenName].sort());
    expect(new Set(view.otherResources.map((r) => r.kind)).size).toBeGreaterThan(1);
    expect(view.drift.map((d) => [d.name, d.kind, d.openstackId, d.cluster, d.cloud, d.firstSeenAt, d.lastSeenAt])).toEqual([
      ["a", "orphan", "os-1", cluster.name, cluster.cloud.name, t(10).toISOString(), t(25).toISOString()],
      ["b", "missing", null, cluster.name, cluster.cloud.name, t(20).toISOString(), t(25).toISOString()],
    ]);
    const api = view.vips?.find((v) => v.vip === "api");
    expect(api?.history.map((h) => [h.node, h.state, h.priority])).toEqual([["master-1", "MASTER", 50]]);
  });

  it("says not found to whom may not see the cluster, and a sealed kubeconfig counts", async () => {
    await expect(getClusterView(db, people.outsider, clusterId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getClusterCloud(db, people.outsider, clusterId)).rejects.toBeInstanceOf(NotFoundError);
    await db.cluster.update({ where: { id: clusterId }, data: { kubeconfigSealed: "v1.sealed" } });
    expect((await getClusterView(db, people.member, clusterId)).hasKubeconfig).toBe(true);
  });

  it("the page's grid does not wait for the cloud: the ledger at once, the listing it started for the grid's poll", async () => {
    const { url } = await openstackStandIn();
    await db.cloud.update({ where: { id: people.cloudId }, data: { authUrl: url, credentialsSealed: standInCredentials() } });
    // the listing starts when the page says (the page: after it has been sent); until then nothing is on its way
    const starts: (() => void)[] = [];
    const deferred = (start: () => void) => void starts.push(start);
    const page = await getClusterCloud(db, people.member, clusterId, { waitForCloud: false, startListing: deferred });
    expect([page.source, page.apiCalls]).toEqual(["pending", 0]);
    expect(page.rows[1].cells.public).toMatchObject({ status: "present" }); // the ledger's word
    expect((await getClusterCloud(db, people.member, clusterId, { waitForCloud: false, startListing: deferred })).source).toBe("pending");
    expect(starts).toHaveLength(2);
    for (const start of starts) start(); // the second finds the first on its way
    // within the cache window, the next page has the listing at hand once it has arrived
    let next = page;
    for (let i = 0; next.source !== "cloud" && i < 200; i++) {
      await sleep(10);
      next = await getClusterCloud(db, people.member, clusterId, { waitForCloud: false });
    }
    expect(next.source).toBe("cloud");
    // The grid's poll is a route handler, which Next.js compiles apart from the page: another copy of this module. It
    // answers the listing the page started (lib/process-wide.ts), not one of its own (the stand-in lists no port:
    // the ledger's port is missing).
    vi.resetModules();
    const routeCopy = await import("@/lib/data/cluster-cloud");
    expect(routeCopy.getClusterCloud).not.toBe(getClusterCloud);
    const polled = await routeCopy.getClusterCloud(db, people.member, clusterId);
    expect([polled.source, polled.fetchedAt, polled.apiCalls]).toEqual(["cloud", next.fetchedAt, next.apiCalls]);
    expect(polled.rows[1].cells.public).toMatchObject({ status: "missing" });
  });

  it("past its few seconds, the page and its poll show the last listing while a new one is asked; a failure for those seconds", async () => {
    const { url, server } = await openstackStandIn();
    let calls = 0;
    const count = () => calls++;
    server.on("request", count);
    await db.cloud.update({ where: { id: people.cloudId }, data: { authUrl: url, credentialsSealed: standInCredentials() } });
    vi.useFakeTimers({ toFake: ["Date"] }); // the cache's clock; the cloud's answers still come on real timers
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const atHand = () => getClusterCloud(db, people.member, clusterId, { waitForCloud: false });
      const untilListed = async () => {
        let grid = await atHand();
        for (let i = 0; grid.source === "pending" && i < 200; i++) {
          await sleep(10);
          grid = await atHand();
        }
        return grid;
      };
      vi.setSystemTime(Date.now() + 61_000); // past what the cache keeps of the earlier tests' listings
      const asked = await atHand();
      expect([asked.source, asked.fetchedAt]).toEqual(["pending", null]); // the plan and the ledger: nothing kept
      const first = await untilListed();
      expect(first.source).toBe("cloud");
      expect(first.rows[1].cells.public).toMatchObject({ status: "missing" }); // the stand-in lists no port

      vi.setSystemTime(Date.now() + 6_000); // the listing is past its few seconds: shown while the next is asked
      const before = calls;
      const stale = await atHand();
      expect([stale.source, stale.fetchedAt, stale.rows[1].cells.public?.status]).toEqual(["pending", first.fetchedAt, "missing"]);
      const second = await untilListed();
      expect(second.source).toBe("cloud");
      expect(Date.parse(second.fetchedAt!)).toBeGreaterThan(Date.parse(first.fetchedAt!));
      expect(calls - before).toBe(3); // ports, security groups, servers: the session's token is still good

      // the cloud stops answering (Keystone's URL moved): its failure is shown, and not asked again, for those seconds
      await db.cloud.update({ where: { id: people.cloudId }, data: { authUrl: url.replace("/identity/v3", "/nowhere/v3"), credentialsSealed: standInCredentials() } });
      vi.setSystemTime(Date.now() + 6_000);
      expect((await atHand()).fetchedAt).toBe(second.fetchedAt);
      const failed = await untilListed();
      expect([failed.source, failed.fetchedAt]).toEqual(["plan", null]);
      expect(failed.error).toMatch(/^The cloud could not be read just now: .+\. Showing what Tripod recorded\.$/);
      expect(failed.rows[1].cells.public).toMatchObject({ status: "present" }); // the ledger's word
      const afterFailure = calls;
      for (let i = 0; i < 3; i++) expect((await atHand()).error).toBe(failed.error);
      expect(calls).toBe(afterFailure);
      expect(logged).toHaveBeenCalledTimes(1); // once in the server's log, not once per viewer
      vi.setSystemTime(Date.now() + 6_000);
      expect((await atHand()).source).toBe("pending"); // asked again
      await untilListed();
      expect(calls).toBeGreaterThan(afterFailure);
    } finally {
      vi.useRealTimers();
      logged.mockRestore();
      server.off("request", count);
      await db.cloud.update({ where: { id: people.cloudId }, data: { authUrl: url, credentialsSealed: standInCredentials() } });
    }
  });

  it("shows the newest events only: the events page has the rest", async () => {
    for (let minute = 10; minute < 10 + EVENTS_ON_PAGE + 2; minute++) {
      await db.event.create({ data: { clusterId, at: t(minute), level: "info", step: "servers", message: `at ${minute}` } });
    }
    const { events } = await getClusterView(db, people.member, clusterId);
    expect(events.map((e) => e.message)).toEqual(Array.from({ length: EVENTS_ON_PAGE }, (_, i) => `at ${10 + EVENTS_ON_PAGE + 1 - i}`));
  });

  it("the grid of a deleted cluster: the plan with the ledger's statuses", async () => {
    await db.cluster.update({ where: { id: clusterId }, data: { status: "deleted" } });
    await db.resource.updateMany({ where: { clusterId, kind: "server", name: { endsWith: "master-2" } }, data: { status: "deleted" } });
    const grid = await getClusterCloud(db, people.member, clusterId);
    expect(grid.source).toBe("plan");
    expect(grid.servers.map((s) => [s.node, s.status])).toEqual([["bootstrap", "present"], ["master-0", "present"], ["master-1", "present"], ["master-2", "deleted"]]);
    expect(grid.rows[1].cells.public).toMatchObject({ status: "present" });
  });
});
