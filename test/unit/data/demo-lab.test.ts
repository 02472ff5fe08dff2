import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { controlLab, getLabStatus, labControlOffered } from "@/lib/data/demo-lab";
import { ForbiddenError, InvalidInputError, InvalidStateError, NotFoundError } from "@/lib/data/errors";
import { demoLabClient, demoLabSocket, type LabStatus } from "@/lib/demo-lab";
import { makeProjectWithCluster, makeUser, testDb } from "../../support/db";

// The demo lab's control through the door: admins only, only while the lab is on, audited. The lab's end is a
// socket server speaking the driver's protocol (test/vrrp/lab/demo.ts); the demo's Playwright run drives the real one.

const db = testDb();
const dir = mkdtempSync(path.join(tmpdir(), "tripod-lab-"));
const socket = path.join(dir, "lab.sock");
let playedCluster = "";
const lab: LabStatus = { nodes: [{ node: "master-0", keepalived: true, api: true }] };
const asked: string[] = [];
const server = http.createServer((req, res) => {
  asked.push(`${req.method} ${req.url}`);
  const [, , clusterId, , node, service, action] = (req.url ?? "").split("/");
  const reply = (code: number, body: unknown) => res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
  if (clusterId !== playedCluster) return reply(404, { error: "no lab nodes for that cluster" });
  if (req.method === "GET") return reply(200, lab);
  const entry = lab.nodes.find((n) => n.node === node)!;
  const key = service as "keepalived" | "api";
  if (entry[key] === (action === "start")) return reply(409, { error: `${service} on ${node} is ${action === "start" ? "running" : "not running"}` });
  entry[key] = action === "start";
  reply(200, lab);
});

beforeAll(() => new Promise<void>((resolve) => server.listen(socket, resolve)));
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
  await db.$disconnect();
});

const actorOf = async (id: string) => (await loadActor(db, id))!;

describe("the demo lab's control", () => {
  it("is off without TRIPOD_DEMO_LAB_SOCKET", () => {
    expect(demoLabSocket({})).toBeNull();
    expect(demoLabSocket({ TRIPOD_DEMO_LAB_SOCKET: socket })).toBe(socket);
  });

  it("lets only an administrator see and stop or start a lab node's services, and audits it", async () => {
    const owner = await makeUser(db);
    const { project, cluster } = await makeProjectWithCluster(db, owner.id);
    playedCluster = cluster.id;
    const admin = await actorOf((await makeUser(db, { role: "admin" })).id);
    const lead = await actorOf((await makeUser(db, { projects: [{ id: project.id, role: "lead" }] })).id);
    const stranger = await actorOf((await makeUser(db)).id);
    const client = demoLabClient(socket);
    const stop = { clusterId: cluster.id, node: "master-0", service: "keepalived", action: "stop" } as const;

    // the cluster page offers the control (and so polls the lab) only while the lab is on, to an administrator
    expect(labControlOffered(admin, client)).toBe(true);
    expect(labControlOffered(admin, null)).toBe(false);
    expect(labControlOffered(lead, client)).toBe(false);
    expect(labControlOffered(stranger, client)).toBe(false);

    await expect(getLabStatus(db, admin, cluster.id, null)).rejects.toBeInstanceOf(NotFoundError);
    await expect(controlLab(db, admin, stop, null)).rejects.toBeInstanceOf(NotFoundError);
    await expect(controlLab(db, lead, stop, client)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(controlLab(db, stranger, stop, client)).rejects.toBeInstanceOf(NotFoundError);
    await expect(controlLab(db, admin, { ...stop, service: "haproxy" as never }, client)).rejects.toBeInstanceOf(InvalidInputError);
    expect(asked).toEqual([]);

    expect(await getLabStatus(db, admin, cluster.id, client)).toEqual(lab);
    expect((await controlLab(db, admin, stop, client)).nodes[0]).toEqual({ node: "master-0", keepalived: false, api: true });
    await expect(controlLab(db, admin, stop, client)).rejects.toThrow(InvalidStateError);
    await controlLab(db, admin, { ...stop, action: "start" }, client);
    expect(asked.slice(1)).toEqual([
      `POST /clusters/${cluster.id}/nodes/master-0/keepalived/stop`,
      `POST /clusters/${cluster.id}/nodes/master-0/keepalived/stop`,
      `POST /clusters/${cluster.id}/nodes/master-0/keepalived/start`,
    ]);

    const { cluster: other } = await makeProjectWithCluster(db, owner.id);
    expect(await getLabStatus(db, admin, other.id, client)).toEqual({ nodes: [] }); // the lab plays none of its nodes (yet)

    const rows = await db.auditLog.findMany({ where: { action: "cluster.lab-control", actorId: { in: [admin.id, lead.id, stranger.id] } }, orderBy: { at: "asc" } });
    expect(rows.map((r) => `${r.actor === admin.username ? "admin" : r.actor === lead.username ? "lead" : "stranger"} ${r.outcome} ${r.detail?.split(":")[0]}`)).toEqual([
      "lead denied stop",
      "stranger denied undefined",
      "admin succeeded stop",
      "admin failed stop",
      "admin succeeded start",
    ]);
  });
});
