import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { registerCloud } from "@/lib/data/clouds";
import { draftCluster } from "@/lib/data/clusters";
import { demoSpecInput } from "../../support/demo-spec";
import { testDb, uniq } from "../../support/db";
import { cloudOptions, seed } from "../openstack/cloud";
import { setupTenant, type Tenant } from "./harness";

// VRRP router ids are allocated per real Public network (Keystone + region, the network's Neutron id), whatever the
// project or registration: drafting asks the local cloud for the network's id and creates nothing in it.

const db = testDb();

describe("VRRP router ids per Public network of the cloud", { timeout: 120_000 }, () => {
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = await setupTenant(db);
  });
  afterAll(() => db.$disconnect());

  it("gives two Tripod projects on the same cloud and Public network different router ids, even drafted at once", async () => {
    const publicNet = seed.networks.find((n) => n.role === "public")!;
    const project = await db.project.create({ data: { name: uniq("second-tenant") } });
    const adminActor = (await loadActor(db, (await db.user.findUniqueOrThrow({ where: { username: "admin" } })).id))!;
    const options = cloudOptions("tripod-demo");
    const auth = options.auth as { username: string; password: string; userDomainName: string; projectName: string; projectDomainName: string };
    const registered = await registerCloud(db, adminActor, {
      projectId: project.id,
      name: "same-cloud-other-name",
      authUrl: `${options.authUrl}/`, // the same Keystone, spelled differently
      region: options.region,
      credentials: { type: "password", ...auth },
    });
    if (!registered.ok) throw new Error(JSON.stringify(registered.errors));
    // One project names the Public network by name, the other by id.
    const spec = (name: string, network: string) => JSON.stringify({ ...demoSpecInput(), name, networks: { ...demoSpecInput().networks, public: { ...demoSpecInput().networks.public, network } } });
    const drafts = await Promise.all([
      ...[0, 1, 2].map((i) => draftCluster(db, tenant.member, { projectId: tenant.projectId, cloudId: tenant.cloudId, specJson: spec(`by-name-${i}`, publicNet.name) })),
      ...[0, 1, 2].map((i) => draftCluster(db, adminActor, { projectId: project.id, cloudId: registered.cloud.id, specJson: spec(`by-id-${i}`, publicNet.id) })),
    ]);
    expect(drafts.every((d) => d.ok), JSON.stringify(drafts)).toBe(true);
    const ids = drafts.map((d) => (d as { ok: true; value: { clusterId: string } }).value.clusterId);
    const rows = await db.vrrpRouterId.findMany({ where: { clusterId: { in: ids }, vip: { in: ["api", "ingress"] } } });
    // The internal API VIP's ids: unique on the Cluster network, across both projects too.
    const onCluster = await db.vrrpRouterId.findMany({ where: { clusterId: { in: ids }, vip: "api-int" } });
    expect(new Set(onCluster.map((r) => r.networkId))).toEqual(new Set([seed.networks.find((n) => n.role === "cluster")!.id]));
    expect(new Set(onCluster.map((r) => r.routerId)).size).toBe(6);
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => `${r.scope} ${r.networkId}`))).toEqual(new Set([rows[0].scope + " " + publicNet.id]));
    expect(new Set(rows.map((r) => r.routerId)).size).toBe(12);
  });
});
