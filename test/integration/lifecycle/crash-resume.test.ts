import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperation } from "@/lib/data/clusters";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { testDb } from "../../support/db";
import { startFaultProxy, type FaultProxy } from "../../cloud/fault-proxy";
import { driveWithCrashes, KillSignal, type KillPoint } from "../../support/crash-driver";
import { startKubeApiStandin, type KubeApiStandin } from "../../support/kube-api-standin";
import { WorkerProcess } from "../../support/worker-process";
import { cloudOptions } from "../openstack/cloud";
import { adminSession, draftDemo, leftovers, leftoverScope, setupTenant, tenantSession, type Tenant, tearDownEverything } from "./harness";

const db = testDb();
const tenantCloud = tenantSession();

function duplicates(names: string[]): string[] {
  return names.filter((n, i) => names.indexOf(n) !== i);
}

// The worker reaches the cloud through the fault proxy (no faults injected): as soon as it has passed on the first
// bulk POST of ports, of security groups and of rules, the worker is killed — the cloud acts, the answer goes nowhere.
const BULK_POST = /\/v2\.0\/(ports|security-groups|security-group-rules)$/;

describe("crash and resume: the worker process is SIGKILLed at step boundaries, inside steps and inside bulk creates", { timeout: 1_200_000 }, () => {
  let tenant: Tenant;
  let proxy: FaultProxy;
  const killOn = new KillSignal();
  const bulkKilled = new Set<string>();
  let api: KubeApiStandin;
  let worker: WorkerProcess;
  const kills: KillPoint[] = [];
  const output: string[] = []; // the worker processes' log, shown when an expectation fails

  beforeAll(async () => {
    proxy = await startFaultProxy({
      keystoneUrl: cloudOptions().authUrl,
      onForward: (method, path) => {
        if (method === "POST" && BULK_POST.test(path) && !bulkKilled.has(path)) {
          bulkKilled.add(path);
          killOn.request(`POST ${path} passed on to the cloud`);
        }
      },
    });
    tenant = await setupTenant(db, { cloudName: "through-proxy", authUrl: proxy.url });
    api = await startKubeApiStandin("starting");
    worker = new WorkerProcess({ databaseUrl: process.env.DATABASE_URL!, onOutput: (l) => output.push(l) });
  });
  afterAll(async () => {
    await worker.stop();
    await tearDownEverything(db);
    await proxy.stop();
    await api.stop();
    await db.$disconnect();
  });

  it("completes a create and then a teardown, with no duplicate and no orphan", async () => {
    const cluster = await draftDemo(db, tenant, { kubeconfig: api.kubeconfig });
    const clusterId = cluster.id;

    const create = await startOperation(db, tenant.member, { clusterId, kind: "create" });
    // Before bootstrap teardown removes them, count what the crashed runs made: every name exactly once.
    let counted = false;
    const created = await driveWithCrashes({
      db,
      worker,
      operationId: create.operationId,
      maxKills: 10,
      insideDelayMs: [200, 3000],
      killOn,
      onStep: async (step, status) => {
        if (step === "wait-bootstrap-complete" && status === "running" && !counted) {
          counted = true;
          const own = (n: string) => n.startsWith(`${cluster.infraId}-`);
          const portNames = (await ports.list(tenantCloud)).map((p) => p.name).filter(own);
          const serverNames = (await servers.list(tenantCloud)).map((s) => s.name).filter(own);
          const groupNames = (await securityGroups.list(tenantCloud)).map((g) => g.name).filter(own);
          expect(duplicates(portNames)).toEqual([]);
          expect(duplicates(serverNames)).toEqual([]);
          expect(duplicates(groupNames)).toEqual([]);
          expect(portNames).toHaveLength(19); // 16 node ports and the api, ingress and api-int VIP ports
          expect(serverNames).toHaveLength(4);
          expect(groupNames).toHaveLength(4);
          api.setPhase("complete");
        }
      },
    });
    kills.push(...created.kills);
    const why = async (opId: string) =>
      `${JSON.stringify(await db.operation.findUnique({ where: { id: opId }, include: { steps: true } }))}\nkills: ${JSON.stringify(kills)}\n${output.slice(-40).join("\n")}`;
    expect(created.status, await why(create.operationId)).toBe("succeeded");
    expect(counted).toBe(true);

    const teardown = await startOperation(db, tenant.member, { clusterId, kind: "teardown" });
    const removed = await driveWithCrashes({ db, worker, operationId: teardown.operationId, maxKills: 6, insideDelayMs: [100, 1500] });
    kills.push(...removed.kills);
    expect(removed.status, await why(teardown.operationId)).toBe("succeeded");
    await worker.stop();

    const left = await leftovers(adminSession(), tenantCloud, leftoverScope(cluster));
    expect(left).toEqual({ ports: [], securityGroups: [], servers: [], serverGroups: [], swift: [] });
    console.log(`kill points: ${kills.map((k) => `${k.kind}:${k.step}${k.afterMs ? `@${k.afterMs}ms` : ""}`).join(", ")}`);
    expect(kills.length).toBeGreaterThanOrEqual(10);
    expect(kills.some((k) => k.kind === "inside")).toBe(true);
    expect(kills.some((k) => k.kind === "boundary")).toBe(true);
    // One kill while each kind of bulk create was in the cloud's hands.
    expect(kills.filter((k) => k.kind === "request").map((k) => k.step.split(": ")[1]).sort()).toEqual(
      ["ports", "security-group-rules", "security-groups"].map((c) => `POST /v2.0/${c} passed on to the cloud`).sort(),
    );
    expect(worker.starts).toBe(kills.length + 2);
  });
});
