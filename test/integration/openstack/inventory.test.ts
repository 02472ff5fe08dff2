import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RequestEvent, Session } from "@/lib/openstack/client";
import { readClusterInventory } from "@/lib/openstack/inventory";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { microversion } from "@/lib/openstack/nova/versions/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import { network, recordingSession, RUN, seed, sweep } from "./cloud";

const TAG = `${RUN}-inv`;
// The demo project's quota is sized for exactly one cluster, which other suites may be running right now; four more
// servers fit only in the admin project, and only with a small flavor of this run's own (deleted afterwards).
// The inventory read is the same whatever the project.
const { session, events } = recordingSession({}, "tripod-admin");
let flavorId = "";

beforeAll(async () => {
  const res = await session.request({
    service: "compute",
    method: "POST",
    path: "/flavors",
    json: { flavor: { name: `${TAG}-tiny`, vcpus: 1, ram: 256, disk: 1 } },
  });
  flavorId = (res.data as { flavor: { id: string } }).flavor.id;
});

afterAll(async () => {
  await sweep(session, TAG);
  expect(await ports.list(session, { tags: [TAG] })).toEqual([]);
  if (flavorId) await session.request({ service: "compute", method: "DELETE", path: `/flavors/${flavorId}` });
}, 240_000);

async function addNode(s: Session, index: number, groupId: string, sgId: string): Promise<void> {
  const { resource: port } = await ports.create(s, { networkId: network("cluster").id, name: `${TAG}-node${index}`, securityGroups: [sgId], tags: [TAG] });
  await servers.create(s, {
    name: `${TAG}-node${index}`,
    imageId: seed.image.id,
    flavorId,
    portIds: [port.id],
    metadata: { tripod_cluster: TAG },
    tags: [TAG],
    serverGroupId: groupId,
  });
}

async function countedInventory() {
  events.length = 0;
  const inventory = await readClusterInventory(session, { tag: TAG });
  return { inventory, calls: events.map((e: RequestEvent) => `${e.method} ${e.path.split("?")[0]}`).sort() };
}

describe("readClusterInventory", { timeout: 240_000 }, () => {
  it("reads 1 node and 4 nodes with the same number of API calls", async () => {
    await microversion(session); // the token and the microversion are per-session costs, paid once
    const { resource: sg } = await securityGroups.create(session, { name: `${TAG}-master`, tags: [TAG] });
    const { resource: group } = await serverGroups.create(session, { name: TAG, policy: "soft-anti-affinity" });
    await containers.create(session, TAG);
    await objects.put(session, TAG, "bootstrap.ign", "{}");

    await addNode(session, 0, group.id, sg.id);
    const one = await countedInventory();
    expect(one.inventory.ports).toHaveLength(1);
    expect(one.inventory.servers.map((s) => s.name)).toEqual([`${TAG}-node0`]);
    expect(one.inventory.securityGroups.map((g) => g.id)).toEqual([sg.id]);
    expect(one.inventory.serverGroup?.id).toBe(group.id);
    expect(one.inventory.objects.map((o) => o.name)).toEqual(["bootstrap.ign"]);

    for (const i of [1, 2, 3]) await addNode(session, i, group.id, sg.id);
    const four = await countedInventory();
    expect(four.inventory.ports).toHaveLength(4);
    expect(four.inventory.servers.map((s) => s.name).sort()).toEqual([0, 1, 2, 3].map((i) => `${TAG}-node${i}`));
    expect(four.inventory.serverGroup?.id).toBe(group.id);

    expect(four.calls).toEqual(one.calls);
    expect(one.calls).toEqual([
      `GET ${new URL(await session.endpoint("object-store")).pathname}/${TAG}`,
      "GET /v2.0/ports",
      "GET /v2.0/security-groups",
      "GET /v2.1/os-server-groups",
      "GET /v2.1/servers/detail",
    ]);
  });
});
