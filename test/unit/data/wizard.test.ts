import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneCluster, exportSpec, getWizardDraft, importSpec, saveWizardStep, uploadInstallerFile } from "@/lib/data/wizard";
import { deleteDraft, startOperation, type DraftDeps } from "@/lib/data/clusters";
import { getClusterCloud } from "@/lib/data/cluster-cloud";
import { getClusterView } from "@/lib/data/cluster-view";
import { ForbiddenError, TooLargeError } from "@/lib/data/errors";
import { exportSpecText, parseJsonText, validateClusterSpec, withInstallerConfigs } from "@/lib/cluster-spec";
import { INSTALLER_FILE_LIMITS } from "@/lib/domain";
import type { Actor } from "@/lib/auth/policy";
import { demoSpecInput } from "../../support/demo-spec";
import { makeTenant, testDb, uniq } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

// The cloud's answer to "which network is this?", by name (test/integration/lifecycle asks the real cloud).
const networkIds: DraftDeps = { networkId: async (_cloud, nameOrId) => `id-of-${nameOrId}` };

const upload = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
  new Request("http://127.0.0.1/upload", { method: "PUT", body: body as BodyInit, headers });

describe("the create wizard's use cases", () => {
  let member: Actor;
  let colleague: Actor;
  let projectId: string;
  let cloudId: string;

  beforeAll(async () => {
    const tenant = await makeTenant(db);
    ({ projectId, cloudId } = tenant);
    const actor = tenant.actor;
    member = await actor({ projects: [{ id: projectId, role: "member" }] });
    colleague = await actor({ projects: [{ id: projectId, role: "member" }] });
  });

  it("import → export is byte-stable for a valid spec, secrets left out, installer configs become sealed uploads", async () => {
    const exported = exportSpecText({ ...demoSpecInput(), name: "roundtrip" });
    expect(exported).not.toContain("ignition\\\"");
    expect(JSON.parse(exported).installerConfigs).toEqual({ bootstrap: "@bootstrap.ign", master: "@master.ign" });
    // The demo spec with its configs inline: they are stored as uploads, the spec keeps references.
    const imported = await importSpec(db, member, { projectId, cloudId, text: JSON.stringify({ ...demoSpecInput(), name: "roundtrip" }) }, networkIds);
    expect(imported.errors).toEqual({});
    const first = await (await exportSpec(db, member, { id: imported.clusterId! })).text();
    expect(first).toBe(exported);
    const files = await db.installerFile.findMany({ where: { clusterId: imported.clusterId! } });
    expect(files.map((f) => f.kind).sort()).toEqual(["bootstrap", "master"]);
    expect(files.every((f) => f.sealed.startsWith("v1.") && !f.sealed.includes("ignition"))).toBe(true);
    // Import the exported text into a new draft: the same bytes come out.
    const again = await importSpec(db, member, { projectId, cloudId, text: first.replace('"roundtrip"', '"roundtrip2"') }, networkIds);
    const second = await (await exportSpec(db, member, { id: again.clusterId! })).text();
    expect(second).toBe(first.replace('"roundtrip"', '"roundtrip2"'));
    // The draft with its references but no uploads says so on the files step, and nothing else is wrong.
    const view = await getWizardDraft(db, member, again.clusterId!);
    expect(view.stepsWithErrors).toEqual(["files"]);
  });

  it("import of bad JSON names line and column; an invalid spec is kept and shows what is wrong per step", async () => {
    const bad = await importSpec(db, member, { projectId, cloudId, text: '{\n  "name": "x",\n  oops\n}' }, networkIds);
    expect(bad.errors.specText).toMatch(/line 3, column 3/);
    // brackets nested deeper than any spec, which would overflow the stack of whatever walks them once parsed:
    // named like bad JSON, nothing drafted
    const drafts = await db.cluster.count();
    const deep = await importSpec(db, member, { projectId, cloudId, text: `{"name": "deep", "x": ${"[".repeat(200_000)}${"]".repeat(200_000)}}` }, networkIds);
    expect(deep).toEqual({ clusterId: null, errors: { specText: "The spec nests deeper than 64 levels at line 1, column 86" } });
    expect(await db.cluster.count()).toBe(drafts);
    const spec = { ...demoSpecInput(), name: "halfway" } as Record<string, unknown>;
    (spec.networks as { public: { apiVip: string } }).public.apiVip = "198.18.40.50";
    delete spec.flavor;
    const imported = await importSpec(db, member, { projectId, cloudId, text: JSON.stringify(spec) }, networkIds);
    expect(imported.errors["networks.public.apiVip"]).toMatch(/DHCP allocation pools/);
    expect(imported.errors.flavor).toBe("is required");
    const view = await getWizardDraft(db, member, imported.clusterId!);
    expect(view.stepsWithErrors).toEqual(["addresses", "machines"]);
    expect((view.draft.networks as { public: { apiVip: string } }).public.apiVip).toBe("198.18.40.50");
  });

  it("checks the internal API VIP on the addresses step and holds its router id on the Cluster network until the draft is deleted", async () => {
    const name = uniq("ai").slice(0, 12);
    const { clusterId } = await importSpec(db, member, { projectId, cloudId, text: JSON.stringify({ ...demoSpecInput(), name }) }, networkIds);
    const id = clusterId!;
    const held = async () => (await db.vrrpRouterId.findMany({ where: { clusterId: id }, orderBy: { vip: "asc" } })).map((r) => `${r.vip}@${r.networkId}`);
    expect(await held()).toEqual(["api@id-of-tripod-public", "api-int@id-of-tripod-cluster", "ingress@id-of-tripod-public"]);
    const outside = "198.18.99.5"; // not in the Cluster network's CIDR
    const saved = await saveWizardStep(db, member, { clusterId: id, projectId, cloudId, step: "addresses", values: { networks: { cluster: { apiIntVip: outside } } } }, networkIds);
    expect(saved.errors["networks.cluster.apiIntVip"]).toMatch(/host address inside/);
    expect(((await getWizardDraft(db, member, id)).draft.networks as { cluster: { apiIntVip: string } }).cluster.apiIntVip).toBe(outside);
    // Cleared: no internal API VIP, and its router id goes back to the Cluster network.
    const cleared = await saveWizardStep(db, member, { clusterId: id, projectId, cloudId, step: "addresses", values: { networks: { cluster: { apiIntVip: "" } } } }, networkIds);
    expect(cleared.errors).toEqual({});
    expect(await held()).toEqual(["api@id-of-tripod-public", "ingress@id-of-tripod-public"]);
    await deleteDraft(db, member, { clusterId: id });
    expect(await db.vrrpRouterId.count({ where: { clusterId: id } })).toBe(0);
  });

  it("shows the cluster page of a draft that does not validate yet: its endpoints unknown, its grid empty, saying why", async () => {
    const name = uniq("nv").slice(0, 12);
    const { clusterId } = await importSpec(db, member, { projectId, cloudId, text: JSON.stringify({ ...demoSpecInput(), name }) }, networkIds);
    const id = clusterId!;
    await saveWizardStep(db, member, { clusterId: id, projectId, cloudId, step: "addresses", values: { networks: { public: { apiVip: "198.18.99.5" } } } }, networkIds);
    const view = await getClusterView(db, member, id);
    expect(view.status).toBe("draft");
    expect(view.endpoints).toBeNull();
    const grid = await getClusterCloud(db, member, id, { waitForCloud: false });
    expect(grid.rows).toEqual([]);
    expect(grid.servers).toEqual([]);
    expect(grid.error).toMatch(/^The draft's spec is not complete or not valid yet, so there is no plan to show: networks\.public\.apiVip: .+ Finish it in the wizard\.$/);
  });

  it("refuses values nested too deeply and a draft grown past a whole spec's size, keeping the draft as it was", async () => {
    const name = uniq("b").slice(0, 12);
    const { clusterId } = await saveWizardStep(db, member, { projectId, cloudId, step: "cluster", values: { name, openshiftVersion: "4.16" } }, networkIds);
    const stored = async () => (await db.cluster.findUniqueOrThrow({ where: { id: clusterId! } })).specJson;
    const before = await stored();
    let deep: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 70; i++) deep = { a: deep };
    const save = (values: Record<string, unknown>) => saveWizardStep(db, member, { clusterId: clusterId!, projectId, cloudId, step: "cluster", values }, networkIds);
    await expect(save({ images: deep })).rejects.toMatchObject({ errors: { values: "The values nest deeper than 64 levels" } });
    // each save merges into the draft: 1 MiB more each time stops at 2 MiB
    await save({ padding1: "x".repeat(1024 * 1024) });
    await expect(save({ padding2: "x".repeat(1024 * 1024) })).rejects.toMatchObject({ errors: { draft: expect.stringMatching(/^The draft would be 2049 KiB; a cluster spec is at most 2048 KiB without its installer files\. Nothing was saved\.$/) } });
    expect(JSON.parse(await stored())).toEqual({ ...JSON.parse(before), padding1: "x".repeat(1024 * 1024) });
  });

  it("saves a step's values even when wrong, answers only that step's problems, and refuses a colleague", async () => {
    const name = uniq("w").slice(0, 12);
    const first = await saveWizardStep(db, member, { projectId, cloudId, step: "cluster", values: { name, baseDomain: "Not A Domain", openshiftVersion: "4.16" } }, networkIds);
    expect(first.clusterId).toBeTruthy();
    expect(Object.keys(first.errors).sort()).toEqual(["baseDomain", "dnsUpstreams", "sshKey"]);
    const view = await getWizardDraft(db, member, first.clusterId!);
    expect(view.draft.baseDomain).toBe("Not A Domain");
    await expect(saveWizardStep(db, colleague, { clusterId: first.clusterId!, projectId, cloudId, step: "cluster", values: { baseDomain: "x.test" } }, networkIds)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("streams uploads with a 16 MiB limit: a larger one is refused and nothing is stored; a 1.5 MiB bootstrap.ign is taken", async () => {
    const { clusterId } = await importSpec(db, member, { projectId, cloudId, text: exportSpecText({ ...demoSpecInput(), name: "uploads" }) }, networkIds);
    const id = clusterId!;
    const big = new Uint8Array(INSTALLER_FILE_LIMITS.bootstrap + 1);
    await expect(uploadInstallerFile(db, member, { id, file: "bootstrap" }, upload(big), networkIds)).rejects.toBeInstanceOf(TooLargeError);
    // Also without a Content-Length (chunked): cut off while streaming.
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(1024 * 1024));
        c.close();
      },
    });
    const chunked = new Request("http://127.0.0.1/upload", { method: "PUT", body: stream, duplex: "half" } as RequestInit);
    await expect(uploadInstallerFile(db, member, { id, file: "bootstrap" }, chunked, networkIds)).rejects.toThrow("bootstrap.ign is larger than the limit of 16.0 MiB. Nothing was stored.");
    expect(await db.installerFile.count({ where: { clusterId: id } })).toBe(0);

    await expect(uploadInstallerFile(db, member, { id, file: "master" }, upload('{"ignition": {"version": "2.2.0"}}'), networkIds)).rejects.toThrow(/3\.x/);
    await expect(uploadInstallerFile(db, member, { id, file: "master" }, upload('{\n "ignition": {\n'), networkIds)).rejects.toThrow(/line 3, column 1/);
    const deep = `{"ignition": {"version": "3.2.0"}, "x": ${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`;
    await expect(uploadInstallerFile(db, member, { id, file: "bootstrap" }, upload(deep), networkIds)).rejects.toThrow(/nests deeper than 64 levels at line 1, column/);

    const bootstrap = JSON.parse(readFileSync("test/fixtures/bootstrap.ign", "utf8")) as { storage: { files: unknown[] } };
    bootstrap.storage.files.push({ path: "/opt/padding", contents: { source: `data:,${"x".repeat(1.5 * 1024 * 1024)}` }, mode: 420 });
    const stored = await uploadInstallerFile(db, member, { id, file: "bootstrap" }, upload(JSON.stringify(bootstrap)), networkIds);
    expect(stored.bytes).toBeGreaterThan(1.5 * 1024 * 1024);
    await uploadInstallerFile(db, member, { id, file: "master" }, upload(readFileSync("test/fixtures/master.ign", "utf8")), networkIds);
    // The whole draft now says which API hosts a kubeconfig may name: the demo cluster's is not this one's.
    await expect(uploadInstallerFile(db, member, { id, file: "kubeconfig" }, upload(readFileSync("test/fixtures/auth/kubeconfig", "utf8")), networkIds)).rejects.toThrow(
      /is not one of this cluster's API addresses/,
    );
    const own = readFileSync("test/fixtures/auth/kubeconfig", "utf8").replace("api.demo.tripod.test", "api.uploads.tripod.test");
    expect((await uploadInstallerFile(db, member, { id, file: "kubeconfig" }, upload(own), networkIds)).name).toBe("auth/kubeconfig");
    // The route names a file as its download does: `kubeadmin-password`, not the key.
    await expect(uploadInstallerFile(db, member, { id, file: "kubeadminPassword" }, upload("pw"), networkIds)).rejects.toThrow(/one of bootstrap, master, kubeconfig, kubeadmin-password/);
    expect((await uploadInstallerFile(db, member, { id, file: "kubeadmin-password" }, upload("Kubeadmin-pw-1"), networkIds)).key).toBe("kubeadminPassword");
    // each kind has its own limit: a password is one line, a kubeconfig a few KiB
    await expect(uploadInstallerFile(db, member, { id, file: "kubeadmin-password" }, upload("p".repeat(257), { "content-length": "257" }), networkIds)).rejects.toThrow(
      "auth/kubeadmin-password is 257 bytes; the limit is 256 bytes. Nothing was stored.",
    );
    await expect(uploadInstallerFile(db, member, { id, file: "kubeconfig" }, upload("#".repeat(300 * 1024)), networkIds)).rejects.toThrow(
      "auth/kubeconfig is larger than the limit of 256.0 KiB. Nothing was stored.",
    );
    const view = await getWizardDraft(db, member, id);
    expect(view.stepsWithErrors).toEqual([]);
    expect(await db.resource.count({ where: { clusterId: id, kind: "port" } })).toBe(16);
  });

  it("clone takes the next free name and new VRRP ids; delete frees both (audited); an incomplete draft is not created", async () => {
    const base = uniq("d").slice(0, 10);
    const { clusterId } = await importSpec(db, member, { projectId, cloudId, text: JSON.stringify({ ...demoSpecInput(), name: base }) }, networkIds);
    const id = clusterId!;
    const clone = await cloneCluster(db, member, { clusterId: id }, networkIds);
    const copy = await getWizardDraft(db, member, clone.clusterId);
    expect(copy.name).toBe(`${base}-2`);
    expect(copy.stepsWithErrors).toEqual([]);
    const original = await getWizardDraft(db, member, id);
    expect(copy.vrrp).not.toEqual(original.vrrp);

    await expect(deleteDraft(db, colleague, { clusterId: id })).rejects.toBeInstanceOf(ForbiddenError);
    await deleteDraft(db, member, { clusterId: id });
    expect(await db.vrrpRouterId.count({ where: { clusterId: id } })).toBe(0);
    expect(await db.installerFile.count({ where: { clusterId: id } })).toBe(0);
    expect(await db.auditLog.count({ where: { action: "cluster.delete-draft", target: `cluster ${base}`, outcome: "succeeded" } })).toBe(1);
    const reused = await importSpec(db, member, { projectId, cloudId, text: JSON.stringify({ ...demoSpecInput(), name: base }) }, networkIds);
    expect(reused.errors).toEqual({});
    expect((await getWizardDraft(db, member, reused.clusterId!)).vrrp).toEqual(original.vrrp);

    const half = await saveWizardStep(db, member, { projectId, cloudId, step: "cluster", values: { name: uniq("h").slice(0, 10) } }, networkIds);
    await expect(startOperation(db, member, { clusterId: half.clusterId!, kind: "create" })).rejects.toThrow(/not complete/);
  });

  it("an exported spec with the installer's files beside it is the same spec (what ignition:generate reads)", () => {
    const exported = JSON.parse(exportSpecText(demoSpecInput()));
    const files = { bootstrap: readFileSync("test/fixtures/bootstrap.ign", "utf8"), master: readFileSync("test/fixtures/master.ign", "utf8") };
    const again = validateClusterSpec(withInstallerConfigs(exported, files));
    const original = validateClusterSpec(demoSpecInput());
    expect(again.ok && original.ok && again.spec).toEqual(original.ok && original.spec);
  });

  it("JSON errors carry line and column", () => {
    expect(parseJsonText('{"a": 1,}')).toMatchObject({ ok: false, line: 1 });
    expect(parseJsonText('{\n\n  "a": ]')).toMatchObject({ ok: false, line: 3, column: 8 });
  });
});
