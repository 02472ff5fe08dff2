import { describe, expect, it } from "vitest";
import { createOrAdopt } from "@/lib/openstack/adopt";
import { createSession } from "@/lib/openstack/client";
import { OpenStackError, type OpenStackErrorKind } from "@/lib/openstack/errors";

// No request leaves this session: createOrAdopt only takes its retry budget from it.
const session = createSession({
  authUrl: "http://127.0.0.1:9/v3",
  auth: { type: "password", username: "u", password: "p" },
  retry: { maxElapsedMs: 2_000, baseDelayMs: 1, maxDelayMs: 5 },
});

const failure = (kind: OpenStackErrorKind, status?: number) => new OpenStackError({ kind, status, service: "network", method: "POST", url: "/v2.0/ports" });

function scenario(createOutcomes: (string | OpenStackError)[], findResults: string[][]) {
  const calls: string[] = [];
  return {
    calls,
    spec: {
      service: "network" as const,
      describe: "port p",
      create: async () => {
        calls.push("create");
        const next = createOutcomes.shift()!;
        if (next instanceof OpenStackError) throw next;
        return next;
      },
      find: async () => {
        calls.push("find");
        return findResults.shift() ?? [];
      },
    },
  };
}

describe("createOrAdopt", () => {
  it("creates once when the create answers", async () => {
    const s = scenario(["port-1"], []);
    expect(await createOrAdopt(session, s.spec)).toEqual({ resource: "port-1", created: true });
    expect(s.calls).toEqual(["create"]);
  });

  it("adopts what a create with a lost answer made, without a second create", async () => {
    const s = scenario([failure("ConnectionFailed")], [["port-1"]]);
    expect(await createOrAdopt(session, s.spec)).toEqual({ resource: "port-1", created: false });
    expect(s.calls).toEqual(["create", "find"]);
  });

  it("after no answer, an empty lookup is repeated once the cloud had time to finish (a slow create is adopted)", async () => {
    const s = scenario([failure("ConnectionFailed")], [[], ["port-1"]]);
    expect(await createOrAdopt(session, { ...s.spec, settleMs: 50 })).toEqual({ resource: "port-1", created: false });
    expect(s.calls).toEqual(["create", "find", "find"]);
  });

  it("after no answer and two empty lookups, the create is sent again", async () => {
    const s = scenario([failure("ConnectionFailed"), "port-2"], [[], []]);
    expect(await createOrAdopt(session, { ...s.spec, settleMs: 50 })).toEqual({ resource: "port-2", created: true });
    expect(s.calls).toEqual(["create", "find", "find", "create"]);
  });

  it("creates again at once when a 503 left nothing behind (the cloud answered: nothing is in flight)", async () => {
    const s = scenario([failure("ServerError", 503), "port-2"], [[]]);
    expect(await createOrAdopt(session, s.spec)).toEqual({ resource: "port-2", created: true });
    expect(s.calls).toEqual(["create", "find", "create"]);
  });

  it("never repeats a create refused for a reason that will not heal", async () => {
    const s = scenario([failure("QuotaExceeded", 409)], []);
    await expect(createOrAdopt(session, s.spec)).rejects.toMatchObject({ kind: "QuotaExceeded" });
    expect(s.calls).toEqual(["create"]);
  });

  it("refuses to guess between two matches", async () => {
    const s = scenario([failure("ConnectionFailed")], [["a", "b"]]);
    await expect(createOrAdopt(session, s.spec)).rejects.toMatchObject({ kind: "Ambiguous" });
  });

  it("with adoptExisting, looks first", async () => {
    const s = scenario([], [["port-0"]]);
    expect(await createOrAdopt(session, { ...s.spec, adoptExisting: true })).toEqual({ resource: "port-0", created: false });
    expect(s.calls).toEqual(["find"]);
  });

  it("gives up with the create's error once the time budget is spent", async () => {
    const outcomes = Array.from({ length: 10_000 }, () => failure("ServerError", 503));
    const s = scenario(outcomes, []);
    const started = Date.now();
    await expect(createOrAdopt(session, s.spec)).rejects.toMatchObject({ kind: "ServerError", status: 503 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(s.calls.filter((c) => c === "create").length).toBe(s.calls.filter((c) => c === "find").length);
  });
});
