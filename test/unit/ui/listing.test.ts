import { describe, expect, it } from "vitest";
import { listingOnScreen } from "@/app/ui/cluster/listing";
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
