import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, createSession, DEFAULT_RETRY, findEndpoint, isIdempotent, retryAfterMs, RetryBudget } from "@/lib/openstack/client";
import { sleep } from "@/lib/util/sleep";
import type { CatalogEntry } from "@/lib/openstack/keystone/tokens/results";
import { nextPagePath } from "@/lib/openstack/pagination";
import { commaList, toQueryString } from "@/lib/openstack/query";

describe("backoff", () => {
  it("stays within [0, min(max, base·2^attempt)] for any attempt and random draw", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, DEFAULT_RETRY, () => r);
        return d >= 0 && d <= Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** attempt);
      }),
    );
  });

  it("grows exponentially until the cap (ceiling with random → 1)", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, { maxElapsedMs: 1, baseDelayMs: 100, maxDelayMs: 2000, settleMs: 0 }, () => 0.9999999));
    expect(ceilings).toEqual([99, 199, 399, 799, 1599, 1999, 1999]);
  });

  it("a budget refuses to wait past its time bound", async () => {
    let now = 0;
    const budget = new RetryBudget({ maxElapsedMs: 1000, baseDelayMs: 600, maxDelayMs: 600, settleMs: 0 }, () => now, () => 0.999);
    now = 500; // 500 + ~599 > 1000
    expect(await budget.wait(undefined)).toBe(false);
  });

  it("Retry-After in seconds or as a date", () => {
    expect(retryAfterMs("3", 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });

  it("only GET/HEAD/PUT/DELETE are repeated unless a request says otherwise", () => {
    expect(["GET", "HEAD", "PUT", "DELETE", "POST", "PATCH"].map((m) => isIdempotent(m as "GET"))).toEqual([true, true, true, true, false, false]);
    expect(isIdempotent("POST", true)).toBe(true);
    expect(isIdempotent("GET", false)).toBe(false);
  });
});

describe("catalog lookup", () => {
  const catalog: CatalogEntry[] = [
    {
      type: "network",
      endpoints: [
        { interface: "public", regionId: "RegionOne", region: "RegionOne", url: "http://one:9696" },
        { interface: "internal", regionId: "RegionOne", region: "RegionOne", url: "http://one-internal:9696" },
        { interface: "public", regionId: "RegionTwo", region: "RegionTwo", url: "http://two:9696" },
      ],
    },
    { type: "compute", endpoints: [{ interface: "public", regionId: "RegionOne", url: "http://one:8774/v2.1" }] },
  ];
  it("by type, interface and region", () => {
    expect(findEndpoint(catalog, "network", {})).toBe("http://one:9696");
    expect(findEndpoint(catalog, "network", { interface: "internal" })).toBe("http://one-internal:9696");
    expect(findEndpoint(catalog, "network", { region: "RegionTwo" })).toBe("http://two:9696");
    expect(findEndpoint(catalog, "compute", { region: "RegionTwo" })).toBeUndefined();
    expect(findEndpoint(catalog, "object-store", {})).toBeUndefined();
  });
});

describe("query strings and pages", () => {
  it("skips undefined, repeats arrays, encodes", () => {
    expect(toQueryString({ a: undefined, id: ["x", "y"], name: "^a b$", tags: commaList(["t1", "t2"]), none: commaList([]) })).toBe(
      "?id=x&id=y&name=%5Ea+b%24&tags=t1%2Ct2",
    );
    expect(toQueryString({})).toBe("");
  });

  it("follows a next link relative to the endpoint even when it names another host", () => {
    const data = { servers: [], servers_links: [{ rel: "next", href: "http://10.0.0.1:8774/v2.1/servers/detail?limit=2&marker=abc" }] };
    expect(nextPagePath(data, "servers", "/v2.1")).toBe("/servers/detail?limit=2&marker=abc");
    expect(nextPagePath({ ports: [] }, "ports", "")).toBeUndefined();
  });
});

describe("cancellation", () => {
  it("an aborted wait rejects at once with the signal's reason", async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });

  it("an already aborted call is not sent, not retried, and rejects with the signal's reason", async () => {
    const events: unknown[] = [];
    const session = createSession({ authUrl: "http://127.0.0.1:9/v3", auth: { type: "password", username: "u", password: "p" }, onRequest: (e) => events.push(e) });
    const controller = new AbortController();
    controller.abort(new Error("cancelled by the user"));
    await expect(session.currentToken({ signal: controller.signal })).rejects.toThrow("cancelled by the user");
    expect(events.length).toBeLessThanOrEqual(1);
  });
});
