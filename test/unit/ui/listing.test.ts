import { describe, expect, it } from "vitest";
import { listedNames, listingOnScreen, shownStatus } from "@/app/ui/cluster/listing";
import type { ClusterCloud } from "@/lib/data";

// The cluster page's grid when its poll comes back after a pause (app/ui/cluster/listing.ts): the answers are the
// shapes lib/data/cluster-cloud.ts gives (test/unit/data/cluster-view.test.ts checks when it gives which).

const answer = (over: Partial<ClusterCloud>): ClusterCloud => ({
  source: "plan",
  fetchedAt: null,
  apiCalls: 0,
  error: null,
  rows: [],
  servers: [],
  securityGroups: [],
  ...over,
});
const listed = answer({
  source: "cloud",
  fetchedAt: "2026-12-05T10:00:00.000Z",
  apiCalls: 3,
  servers: [{ node: "master-0", name: "c1-master-0", status: "ACTIVE", id: "s0" }],
  securityGroups: ["c1-master"],
});

describe("the grid's listing on screen", () => {
  it("stays while the server, which no longer keeps it, asks the cloud again", () => {
    const shown = listingOnScreen(listed, answer({ source: "pending" }));
    expect(shown).toEqual({ ...listed, source: "pending" });
  });

  it("gives way to every other answer", () => {
    const asking = answer({ source: "pending", fetchedAt: "2026-12-05T10:00:30.000Z", apiCalls: 3 });
    const fresh = answer({ source: "cloud", fetchedAt: "2026-12-05T10:01:00.000Z", apiCalls: 3 });
    const failed = answer({ error: "The cloud did not answer: connect ECONNREFUSED." });
    const plan = answer({});
    for (const next of [asking, fresh, failed, plan]) expect(listingOnScreen(listed, next)).toBe(next);
  });

  it("is the plan while no listing was shown yet", () => {
    const pending = answer({ source: "pending" });
    expect(listingOnScreen(undefined, pending)).toBe(pending);
    expect(listingOnScreen(answer({}), pending)).toBe(pending);
  });
});

describe("a resource's status beside the grid", () => {
  const server = (status: string) => ({ kind: "server", name: "c1-master-0", status });
  const group = (status: string) => ({ kind: "security-group", name: "c1-master", status });

  it("is the cloud's for servers and security groups when it was listed: missing when Tripod recorded it but the cloud does not list it", () => {
    const names = listedNames(listed);
    expect(shownStatus(server("present"), "ready", names)).toBe("present");
    expect(shownStatus(group("present"), "ready", names)).toBe("present");
    expect(shownStatus({ kind: "server", name: "c1-bootstrap", status: "present" }, "ready", names)).toBe("missing");
    expect(shownStatus({ kind: "security-group", name: "c1-cluster", status: "deleted" }, "ready", names)).toBe("deleted");
    // a crash between Nova's answer and the ledger's write: the cloud has it, the ledger says planned
    expect(shownStatus(server("planned"), "failed", names)).toBe("present");
    expect(shownStatus(server("present"), "tearing-down", names)).toBe("deleting");
    // a teardown wants it gone: not listed any more is deleted, not missing
    expect(shownStatus({ kind: "server", name: "c1-bootstrap", status: "present" }, "tearing-down", names)).toBe("deleted");
  });

  it("is Tripod's record for what the listing does not name, and for everything while the cloud is not read", () => {
    expect(shownStatus({ kind: "swift-container", name: "c1-ignition", status: "present" }, "ready", listedNames(listed))).toBe("present");
    for (const unread of [undefined, answer({ error: "The cloud could not be read just now." }), answer({ source: "pending" })]) {
      expect(listedNames(unread)).toBeNull();
      expect(shownStatus({ kind: "server", name: "c1-bootstrap", status: "present" }, "ready", listedNames(unread))).toBe("present");
    }
  });

  it("names only the servers the cloud listed", () => {
    const withPlanned = { ...listed, servers: [...listed.servers, { node: "master-1" as const, name: "c1-master-1", status: "missing", id: null }] };
    expect([...listedNames(withPlanned)!].sort()).toEqual(["c1-master", "c1-master-0"]);
  });
});
