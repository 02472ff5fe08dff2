import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markBootstrapComplete, startOperation } from "@/lib/data/clusters";
import { startFaultProxy, type FaultProxy } from "../../cloud/fault-proxy";
import { testDb } from "../../support/db";
import { cloudOptions } from "../openstack/cloud";
import { adminSession, draftDemo, FAST, inProcessWorker, isActive, leftovers, leftoverScope, setupTenant, tenantSession, waitForOperation, tearDownEverything } from "./harness";

const db = testDb();

// About 20 % of the requests fail: 503s, connection resets, 409s on changes, 401 "token expired", and two faults after
// the cloud acted: the answer lost, or a 500 instead of it (a create that happened although the client saw it fail).
// A 409 only hits writes and a 401 only requests with a token, so the configured rates add up to a little more.
const RATES = { status5xx: 0.05, reset: 0.04, status409: 0.05, tokenExpiry: 0.05, lostResponse: 0.03, errorAfterEffect: 0.03 };
const FAULT_KINDS = ["status5xx", "reset", "status409", "tokenExpiry", "lostResponse", "errorAfterEffect"] as const;

/** Names listed more than once. */
const duplicates = (names: string[]) => [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];

describe("create and teardown converge through 20 % injected faults", { timeout: 1_500_000 }, () => {
  let proxy: FaultProxy;
  let worker: ReturnType<typeof inProcessWorker>;

  beforeAll(async () => {
    proxy = await startFaultProxy({ keystoneUrl: cloudOptions().authUrl, rates: RATES, seed: 20 });
    worker = inProcessWorker(db, { ...FAST, tuning: { ...FAST.tuning } });
  });
  afterAll(async () => {
    await worker.stop();
    await tearDownEverything(db);
    await proxy.stop();
    await db.$disconnect();
  });

  it("reaches ready and then zero resources", async () => {
    const tenant = await setupTenant(db, { cloudName: "through-fault-proxy", authUrl: proxy.url });
    const cluster = await draftDemo(db, tenant);
    const clusterId = cluster.id;

    const create = await startOperation(db, tenant.member, { clusterId, kind: "create" });
    await waitForOperation(db, create.operationId, (o) => !isActive(o) || o.steps.some((s) => s.name === "wait-bootstrap-complete" && s.status === "running"), 900_000);
    await markBootstrapComplete(db, tenant.lead, { clusterId });
    const created = await waitForOperation(db, create.operationId, (o) => !isActive(o), 300_000);
    expect(created.status, created.error ?? "").toBe("succeeded");

    // Exactly one of everything after the create (checked directly against the cloud): no lost answer or 500 after the
    // cloud acted made a second port, group or server; the bootstrap's are gone.
    const present = await leftovers(adminSession(), tenantSession(), leftoverScope(cluster));
    const counts = Object.fromEntries(Object.entries(present).map(([kind, names]) => [kind, names.length]));
    console.log(`after the create: ${JSON.stringify(counts)}; duplicates: ${JSON.stringify(Object.fromEntries(Object.entries(present).map(([k, n]) => [k, duplicates(n)])))}`);
    for (const names of Object.values(present)) expect(duplicates(names)).toEqual([]);
    expect(counts).toEqual({ ports: 15, securityGroups: 4, servers: 3, serverGroups: 1, swift: 1 }); // 19 planned, 4 bootstrap ports gone

    const teardown = await startOperation(db, tenant.member, { clusterId, kind: "teardown" });
    const removed = await waitForOperation(db, teardown.operationId, (o) => !isActive(o), 900_000);
    expect(removed.status, removed.error ?? "").toBe("succeeded");

    const stats = proxy.stats();
    const injected = Object.values(stats.injected).reduce((a, b) => a + b, 0);
    console.log(`fault proxy: ${stats.requests} requests, ${injected} faults injected (${((100 * injected) / stats.requests).toFixed(1)} %) ${JSON.stringify(stats.injected)}`);
    expect(injected / stats.requests).toBeGreaterThan(0.15);
    for (const kind of FAULT_KINDS) expect(stats.injected[kind]).toBeGreaterThan(0);

    // Checked directly against the cloud, not through the proxy.
    const left = await leftovers(adminSession(), tenantSession(), leftoverScope(cluster));
    expect(left).toEqual({ ports: [], securityGroups: [], servers: [], serverGroups: [], swift: [] });
  });
});
