import { afterAll, describe, expect, it } from "vitest";
import { isNotFound } from "@/lib/openstack/errors";
import * as images from "@/lib/openstack/glance/images/requests";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as flavors from "@/lib/openstack/nova/flavors/requests";
import * as limits from "@/lib/openstack/nova/limits/requests";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { microversion } from "@/lib/openstack/nova/versions/requests";
import { network, recordingSession, RUN, seed, sweep } from "./cloud";

const TAG = `${RUN}-nova`;
const { session } = recordingSession();
const { session: admin } = recordingSession({}, "tripod-admin");

afterAll(async () => {
  await sweep(session, TAG);
  expect(await servers.list(session, { metadata: { tripod_cluster: TAG } })).toEqual([]);
}, 180_000);

describe("Nova against the local cloud", { timeout: 180_000 }, () => {
  it("negotiates the highest microversion both sides speak, or the cap given", async () => {
    expect(await microversion(session)).toBe("2.90");
    const { session: old } = recordingSession({ maxComputeMicroversion: "2.15" });
    expect(await microversion(old)).toBe("2.15");
  });

  it("flavors and limits", async () => {
    expect(await flavors.findByName(session, seed.flavor.name)).toMatchObject({ id: seed.flavor.id, vcpus: 4, ramMiB: 16384 });
    expect((await flavors.get(session, seed.flavor.id)).name).toBe(seed.flavor.name);
    expect(await flavors.findByName(session, `${TAG}-none`)).toBeUndefined();
    const l = await limits.get(session);
    expect(l.maxInstances).toBeGreaterThan(0);
    expect(l.instancesUsed).toBeGreaterThanOrEqual(0);
    expect(l.maxServerGroups).toBeGreaterThan(0);
  });

  it("Glance: image by name or id, with its status", async () => {
    const byName = await images.find(session, seed.image.name);
    expect(byName).toMatchObject({ id: seed.image.id, status: "active" });
    expect((await images.find(session, seed.image.id)).name).toBe(seed.image.name);
    expect(isNotFound(await images.find(session, `${TAG}-missing`).catch((e: unknown) => e))).toBe(true);
  });

  it("server groups in the 2.64+ shape and the pre-2.64 shape", async () => {
    const { session: old } = recordingSession({ maxComputeMicroversion: "2.15" });
    const soft = await serverGroups.create(old, { name: `${TAG}-soft`, policy: "soft-anti-affinity" });
    expect(soft.resource).toMatchObject({ name: `${TAG}-soft`, policy: "soft-anti-affinity", memberIds: [] });
    const hard = await serverGroups.create(session, { name: `${TAG}-hard`, policy: "anti-affinity", maxServerPerHost: 1 });
    expect(hard.resource).toMatchObject({ policy: "anti-affinity", rules: { max_server_per_host: 1 } });
    expect((await serverGroups.get(session, soft.resource.id)).policy).toBe("soft-anti-affinity");
    const names = (await serverGroups.list(session)).map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining([`${TAG}-soft`, `${TAG}-hard`]));
    expect(await serverGroups.remove(session, soft.resource.id)).toBe(true);
    expect(await serverGroups.remove(session, soft.resource.id)).toBe(false);
  });

  it("boots a server on four pre-created ports with user data, metadata and a group hint; lists, waits, reads the console, deletes", async () => {
    const [group] = (await serverGroups.list(session)).filter((g) => g.name === `${TAG}-hard`);
    const roles = ["outbound", "cluster", "management", "public"] as const;
    const nics = [];
    for (const role of roles) nics.push((await ports.create(session, { networkId: network(role).id, name: `${TAG}-m0-${role}`, tags: [TAG] })).resource);
    const userData = JSON.stringify({ ignition: { version: "3.4.0", config: { merge: [{ source: "https://example.invalid/bootstrap.ign" }] } } });
    const { resource: created, created: isNew } = await servers.create(session, {
      name: `${TAG}-m0`,
      imageId: seed.image.id,
      flavorId: seed.flavor.id,
      portIds: nics.map((p) => p.id),
      userData,
      metadata: { tripod_cluster: TAG, role: "master" },
      tags: [TAG],
      serverGroupId: group.id,
    });
    expect(isNew).toBe(true);
    expect(created.name).toBe(`${TAG}-m0`);
    const active = await servers.waitForActive(session, created.id, { intervalMs: 500, timeoutMs: 150_000 });
    expect(active.status).toBe("ACTIVE");
    expect(active.tags).toEqual([TAG]);
    expect(Object.keys(active.addresses).sort()).toEqual(roles.map((r) => network(r).name).sort());
    for (const p of nics) expect((await ports.get(session, p.id)).deviceId).toBe(created.id);

    expect((await servers.list(session, { name: `${TAG}-m0` })).map((s) => s.id)).toEqual([created.id]);
    expect((await servers.list(session, { metadata: { tripod_cluster: TAG, role: "master" } })).map((s) => s.id)).toEqual([created.id]);
    expect(await servers.list(session, { metadata: { tripod_cluster: TAG, role: "worker" } })).toEqual([]);
    expect((await servers.list(session, { tags: [TAG] })).map((s) => s.id)).toEqual([created.id]);
    expect((await serverGroups.get(session, group.id)).memberIds).toEqual([created.id]);

    // user_data is admin-only in Nova's policy: read it back with the admin session.
    const asAdmin = await admin.request({
      service: "compute",
      method: "GET",
      path: `/servers/${created.id}`,
      headers: { "X-OpenStack-Nova-API-Version": "2.90" },
    });
    const stored = (asAdmin.data as { server: Record<string, string> }).server["OS-EXT-SRV-ATTR:user_data"];
    expect(Buffer.from(stored, "base64").toString()).toBe(userData);

    expect(typeof (await servers.consoleOutput(session, created.id, { length: 10 }))).toBe("string");

    expect(await servers.remove(session, created.id)).toBe(true);
    await servers.waitForDeleted(session, created.id, { intervalMs: 500, timeoutMs: 120_000 });
    expect(isNotFound(await servers.get(session, created.id).catch((e: unknown) => e))).toBe(true);
    // Nova leaves pre-created ports in place.
    expect((await ports.list(session, { tags: [TAG] })).length).toBe(4);
  });
});
