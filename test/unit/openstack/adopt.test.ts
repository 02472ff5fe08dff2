import { describe, expect, it } from "vitest";
import { createOrAdopt, createOrAdoptAll } from "@/lib/openstack/adopt";
import { createSession } from "@/lib/openstack/client";
import { OpenStackError, type OpenStackErrorKind } from "@/lib/openstack/errors";

// No request leaves this session: createOrAdopt only takes its retry budget (and settle time) from it.
const session = createSession({
  authUrl: "http://127.0.0.1:9/v3",
  auth: { type: "password", username: "u", password: "p" },
  retry: { maxElapsedMs: 2_000, baseDelayMs: 1, maxDelayMs: 5, settleMs: 50 },
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

  it("adopts what a create with a lost answer made, with one lookup after the settle time and no second create", async () => {
    const s = scenario([failure("ConnectionFailed")], [["port-1"]]);
    const started = Date.now();
    expect(await createOrAdopt(session, s.spec)).toEqual({ resource: "port-1", created: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(s.calls).toEqual(["create", "find"]);
  });

  it("after no answer and an empty lookup (made after the settle time), the create is sent again", async () => {
    const s = scenario([failure("ConnectionFailed"), "port-2"], [[]]);
    expect(await createOrAdopt(session, s.spec)).toEqual({ resource: "port-2", created: true });
    expect(s.calls).toEqual(["create", "find", "create"]);
  });

  it("a 504 (the gateway gave up, the cloud may still act) is settled like a lost answer", async () => {
    const s = scenario([failure("ServerError", 504)], [["port-1"]]);
    expect(await createOrAdopt(session, s.spec)).toEqual({ resource: "port-1", created: false });
    expect(s.calls).toEqual(["create", "find"]);
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

describe("createOrAdoptAll (bulk)", () => {
  type R = { name: string; id: string };
  function bulk(outcomes: ("ok" | OpenStackError)[], listings: R[][]) {
    const calls: string[] = [];
    let serial = 0;
    return {
      calls,
      spec: {
        service: "network" as const,
        describe: "ports of c",
        keys: ["a", "b", "c"],
        keyOf: (r: R) => r.name,
        create: async (keys: string[]) => {
          calls.push(`create ${keys.join(",")}`);
          const next = outcomes.shift()!;
          if (next instanceof OpenStackError) throw next;
          return keys.map((name) => ({ name, id: `new-${++serial}` }));
        },
        find: async (keys: string[]) => {
          calls.push(`find ${keys.join(",")}`);
          return (listings.shift() ?? []).filter((r) => keys.includes(r.name));
        },
      },
    };
  }

  it("one request for every key, results in key order", async () => {
    const s = bulk(["ok"], []);
    const out = await createOrAdoptAll(session, s.spec);
    expect(out.map((o) => [o.resource.name, o.created])).toEqual([["a", true], ["b", true], ["c", true]]);
    expect(s.calls).toEqual(["create a,b,c"]);
  });

  it("a lost answer of an applied bulk create is settled by ONE listing: nothing is created twice", async () => {
    const applied = [{ name: "a", id: "1" }, { name: "b", id: "2" }, { name: "c", id: "3" }];
    const s = bulk([failure("ConnectionFailed")], [applied]);
    const out = await createOrAdoptAll(session, s.spec);
    expect(out.map((o) => [o.resource.id, o.created])).toEqual([["1", false], ["2", false], ["3", false]]);
    expect(s.calls).toEqual(["create a,b,c", "find a,b,c"]);
  });

  it("a 500 after the cloud acted: one listing at once, then only what it lacks is sent again", async () => {
    const s = bulk([failure("ServerError", 500), "ok"], [[{ name: "b", id: "2" }]]);
    const out = await createOrAdoptAll(session, s.spec);
    expect(out.map((o) => [o.resource.name, o.created])).toEqual([["a", true], ["b", false], ["c", true]]);
    expect(s.calls).toEqual(["create a,b,c", "find a,b,c", "create a,c"]);
  });

  it("with adoptExisting, one listing first and only the rest created", async () => {
    const s = bulk(["ok"], [[{ name: "c", id: "old" }]]);
    const out = await createOrAdoptAll(session, { ...s.spec, adoptExisting: true });
    expect(out.map((o) => [o.resource.id, o.created])).toEqual([["new-1", true], ["new-2", true], ["old", false]]);
    expect(s.calls).toEqual(["find a,b,c", "create a,b"]);
  });

  it("two resources under one key are refused, not guessed", async () => {
    const s = bulk([failure("ConnectionFailed")], [[{ name: "a", id: "1" }, { name: "a", id: "2" }]]);
    await expect(createOrAdoptAll(session, s.spec)).rejects.toMatchObject({ kind: "Ambiguous" });
  });
});
