import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { getActorAndClusterVersion, getClusterVersion } from "@/lib/data/cluster-view";
import { draftCluster } from "@/lib/data/clusters";
import { getOversight } from "@/lib/data/oversight";
import { cancelOperation, requestOperation, retryOperation } from "@/lib/lifecycle/operations";
import { prismaJournal } from "@/lib/lifecycle/journal";
import { prismaLedger } from "@/lib/lifecycle/resources";
import { prismaClusterStore } from "@/lib/lifecycle/store";
import type { Actor } from "@/lib/auth/policy";
import { demoSpecInput } from "../../support/demo-spec";
import { makeUser, standInNetworks, testDb, uniq } from "../../support/db";

// The summary row and the version behind the cluster page's ETag: every write that changes what the page shows
// moves the version on, and the summary follows the operation through its life.

const db = testDb();
afterAll(() => db.$disconnect());

describe("cluster health summary and version", () => {
  let lead: Actor;
  let clusterId: string;
  let name: string;
  const health = () => db.clusterHealth.findUniqueOrThrow({ where: { clusterId } });
  const version = async () => (await getActorAndClusterVersion(db, { userId: lead.id, version: 0 }, clusterId, 0))?.version;

  let project: { id: string; cloudId: string };
  /** A new cluster of the lead's project, with its name. */
  async function drafted(): Promise<{ clusterId: string; name: string }> {
    const name = uniq("h").toLowerCase();
    // The network ids a draft looks up in the cloud come from a stand-in lookup here (no cloud in the unit layer).
    const draft = await draftCluster(db, lead, { projectId: project.id, cloudId: project.cloudId, specJson: JSON.stringify({ ...demoSpecInput(), name }) }, standInNetworks);
    if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
    return { clusterId: draft.value.clusterId, name };
  }

  beforeAll(async () => {
    const { id } = await db.project.create({ data: { name: uniq("p") } });
    project = { id, cloudId: (await db.cloud.create({ data: { projectId: id, name: "c", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "x" } })).id };
    lead = (await loadActor(db, (await makeUser(db, { role: "lead", projects: [{ id, role: "lead" }] })).id))!;
    ({ clusterId, name } = await drafted());
  });

  it("moves the version on with every write the page shows, and keeps the summary of the operation", async () => {
    const seen = [await version()];
    const changed = async () => {
      const v = await version();
      expect(seen).not.toContain(v);
      seen.push(v);
    };
    expect((await health()).operationId).toBeNull();

    const op = await requestOperation(db, { clusterId, kind: "create", requestedById: lead.id });
    await changed();
    expect(await health()).toMatchObject({ operationId: op.id, operationKind: "create", operationStatus: "queued", currentStep: null });

    const journal = prismaJournal(db, { id: op.id, clusterId, kind: "create" });
    await journal.stepStarted("preflight", 1);
    await changed();
    expect(await health()).toMatchObject({ currentStep: "preflight" });
    await journal.event("info", "preflight", "looked around");
    await changed();
    await prismaLedger(db, clusterId).record({ kind: "server", name: `${name}-master-0`, node: "master-0", status: "present" });
    await changed();
    await journal.stepSucceeded("preflight", {}, 3);
    await changed();
    expect(await health()).toMatchObject({ currentStep: null, presentResources: 1 });
    await journal.stepStarted("ports", 1);
    await journal.stepFailed("ports", "quota exceeded", 1, true);
    await changed();
    await journal.finish({ status: "failed", error: "ports: quota exceeded" });
    await changed();
    // where it stopped, for the lists' "Current step"
    expect(await health()).toMatchObject({ operationStatus: "failed", operationError: "ports: quota exceeded", currentStep: "ports" });

    await retryOperation(db, op.id);
    await changed();
    // queued again: no step runs yet (the failed one is where it will resume)
    expect(await health()).toMatchObject({ operationStatus: "queued", operationError: null, currentStep: null });
    await cancelOperation(db, op.id);
    await changed();
    // cancelled before a step started again: no step stopped
    expect(await health()).toMatchObject({ operationStatus: "cancelled", currentStep: null });
    // Bootstrap completion as the worker records it (a lead's mark is refused in this state by the state machine).
    await prismaClusterStore(db, { id: clusterId, cloudId: "", networks: {} }).recordBootstrapComplete("observed", new Date());
    await changed();

    const oversight = await getOversight(db, lead, { q: name });
    expect(oversight.rows).toHaveLength(1);
    expect(oversight.rows[0]).toMatchObject({ name, operation: { kind: "create", status: "cancelled", requestedBy: lead.username }, presentResources: 1 });
  });

  it("keeps the step a cancel stopped, and shows where operations stopped in Oversight", async () => {
    const other = await drafted();
    const op = await requestOperation(db, { clusterId: other.clusterId, kind: "create", requestedById: lead.id });
    const journal = prismaJournal(db, { id: op.id, clusterId: other.clusterId, kind: "create" });
    await journal.stepStarted("preflight", 1);
    await journal.stepSucceeded("preflight", {}, 1);
    await journal.stepStarted("security-groups", 1);
    await journal.finish({ status: "cancelled" });
    const stopped = await db.clusterHealth.findUniqueOrThrow({ where: { clusterId: other.clusterId } });
    expect(stopped).toMatchObject({ operationStatus: "cancelled", currentStep: "security-groups" });
    const oversight = await getOversight(db, lead, { q: other.name });
    expect(oversight.rows[0].operation).toMatchObject({ status: "cancelled", step: "security-groups" });
  });

  it("the version of a cluster the actor may not see, or of none, is not found", async () => {
    const outsider = await makeUser(db);
    await expect(getActorAndClusterVersion(db, { userId: outsider.id, version: 0 }, clusterId)).rejects.toThrow(/cluster/);
    await expect(getActorAndClusterVersion(db, { userId: lead.id, version: 0 }, "no-such-cluster")).rejects.toThrow(/cluster/);
    // the page's version, for an actor already loaded, answers the same
    await expect(getClusterVersion(db, (await loadActor(db, outsider.id))!, clusterId)).rejects.toThrow(/cluster/);
    await expect(getClusterVersion(db, lead, "no-such-cluster")).rejects.toThrow(/cluster/);
  });

  it("gives the page the version its poll gives", async () => {
    for (const now of [0, Date.now()]) {
      expect(await getClusterVersion(db, lead, clusterId, now)).toBe((await getActorAndClusterVersion(db, { userId: lead.id, version: 0 }, clusterId, now))?.version);
    }
  });

  it("reads the session's actor with the version: an ended session gives null, whatever the cluster", async () => {
    expect(await getActorAndClusterVersion(db, { userId: lead.id, version: 0 }, clusterId)).toMatchObject({ actor: { id: lead.id, memberships: lead.memberships } });
    expect(await getActorAndClusterVersion(db, { userId: lead.id, version: 1 }, clusterId)).toBeNull();
    expect(await getActorAndClusterVersion(db, { userId: lead.id, version: 1 }, "no-such-cluster")).toBeNull();
    expect(await getActorAndClusterVersion(db, { userId: "no-such-user", version: 0 }, clusterId)).toBeNull();
  });
});
