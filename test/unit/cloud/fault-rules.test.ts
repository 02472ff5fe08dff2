import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  InvalidFaultRatesError,
  NO_FAULTS,
  applicableKinds,
  catalogOrigins,
  decideFault,
  normaliseRates,
  rewriteOrigins,
  seededRandom,
  type FaultKind,
} from "@/test/cloud/fault-rules";

const GET = { method: "GET", hasToken: true };
const POST = { method: "POST", hasToken: true };
const LOGIN = { method: "POST", hasToken: false };

describe("fault rates", () => {
  it("completes partial rates with zeros", () => {
    expect(normaliseRates({ status5xx: 0.3 })).toEqual({ ...NO_FAULTS, status5xx: 0.3 });
  });

  it.each([
    [{ status5xx: -0.1 }, "status5xx"],
    [{ reset: 1.5 }, "reset"],
    [{ status429: Number.NaN }, "status429"],
    [{ latencyMs: -1 }, "latencyMs"],
    [{ status5xx: 0.6, status429: 0.6 }, "sum"],
  ])("rejects %j (field %s)", (rates, field) => {
    expect(() => normaliseRates(rates)).toThrow(InvalidFaultRatesError);
    try {
      normaliseRates(rates);
    } catch (error) {
      expect((error as InvalidFaultRatesError).field).toBe(field);
    }
  });
});

describe("fault decision", () => {
  it("gives a 409 only to requests that change something, an expired token only to token holders", () => {
    expect(applicableKinds(GET)).not.toContain("status409");
    expect(applicableKinds(POST)).toContain("status409");
    expect(applicableKinds(LOGIN)).not.toContain("tokenExpiry");
    expect(applicableKinds({ method: "delete", hasToken: true })).toContain("status409");
  });

  it("maps draws onto consecutive slices of the unit interval", () => {
    // Binary-exact rates, so the slice edges are exact too.
    const rates = normaliseRates({ reset: 0.125, status5xx: 0.25, status409: 0.25 });
    expect(decideFault(rates, POST, 0)).toBe("reset");
    expect(decideFault(rates, POST, 0.124)).toBe("reset");
    expect(decideFault(rates, POST, 0.125)).toBe("status5xx");
    expect(decideFault(rates, POST, 0.374)).toBe("status5xx");
    expect(decideFault(rates, POST, 0.375)).toBe("status409");
    expect(decideFault(rates, POST, 0.625)).toBeNull();
    // For a GET the 409 slice does not exist: the same draw passes.
    expect(decideFault(rates, GET, 0.375)).toBeNull();
  });

  it("never faults with zero rates, always faults when the rates sum to 1", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (draw) => {
        expect(decideFault(NO_FAULTS, POST, draw)).toBeNull();
        expect(decideFault(normaliseRates({ status5xx: 0.5, status429: 0.5 }), GET, draw)).not.toBeNull();
      }),
    );
  });

  it("injects each kind at about its rate over many seeded draws", () => {
    const rates = normaliseRates({ status5xx: 0.3, status429: 0.1, tokenExpiry: 0.05 });
    const random = seededRandom(42);
    const counts: Partial<Record<FaultKind | "none", number>> = {};
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const kind = decideFault(rates, GET, random()) ?? "none";
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    expect((counts.status5xx ?? 0) / n).toBeCloseTo(0.3, 1);
    expect((counts.status429 ?? 0) / n).toBeCloseTo(0.1, 1);
    expect((counts.tokenExpiry ?? 0) / n).toBeCloseTo(0.05, 1);
    expect((counts.none ?? 0) / n).toBeCloseTo(0.55, 1);
  });

  it("repeats the same sequence for the same seed", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

const TOKEN_BODY = {
  token: {
    catalog: [
      { type: "identity", endpoints: [{ interface: "public", url: "http://127.0.0.1:5000/v3/" }] },
      {
        type: "network",
        endpoints: [
          { interface: "public", url: "http://127.0.0.1:9696" },
          { interface: "admin", url: "http://127.0.0.1:9696" },
        ],
      },
      { type: "object-store", endpoints: [{ interface: "public", url: "http://127.0.0.1:18080/v1/AUTH_abc" }] },
      { type: "broken", endpoints: [{ interface: "public", url: "not a url" }, { interface: "public" }] },
    ],
  },
};

describe("catalog rewrite", () => {
  it("finds each endpoint origin once, with the services it serves, in token and catalog responses", () => {
    const origins = new Map([
      ["http://127.0.0.1:18080", ["object-store"]],
      ["http://127.0.0.1:5000", ["identity"]],
      ["http://127.0.0.1:9696", ["network"]],
    ]);
    expect(catalogOrigins(TOKEN_BODY)).toEqual(origins);
    expect(catalogOrigins({ catalog: TOKEN_BODY.token.catalog })).toEqual(origins);
    const shared = { catalog: [{ type: "b", endpoints: [{ url: "http://h:1/x" }] }, { type: "a", endpoints: [{ url: "http://h:1/y" }] }] };
    expect(catalogOrigins(shared)).toEqual(new Map([["http://h:1", ["a", "b"]]]));
    expect(catalogOrigins({ token: {} })).toEqual(new Map());
    expect(catalogOrigins("text")).toEqual(new Map());
  });

  it("swaps upstream origins for proxy origins and keeps paths", () => {
    const map = new Map([
      ["http://127.0.0.1:5000", "http://127.0.0.1:41000"],
      ["http://127.0.0.1:9696", "http://127.0.0.1:41001"],
      ["http://127.0.0.1:18080", "http://127.0.0.1:41002"],
    ]);
    const rewritten = JSON.parse(rewriteOrigins(JSON.stringify(TOKEN_BODY), map)) as typeof TOKEN_BODY;
    expect(rewritten.token.catalog.flatMap((s) => s.endpoints.map((e) => e.url))).toEqual([
      "http://127.0.0.1:41000/v3/",
      "http://127.0.0.1:41001",
      "http://127.0.0.1:41001",
      "http://127.0.0.1:41002/v1/AUTH_abc",
      "not a url",
      undefined,
    ]);
  });

  it("leaves an origin that only starts like a known one alone", () => {
    const map = new Map([["http://127.0.0.1:5000", "http://127.0.0.1:41000"]]);
    expect(rewriteOrigins('{"a": "http://127.0.0.1:50001/x", "b": "http://127.0.0.1:5000"}', map)).toBe(
      '{"a": "http://127.0.0.1:50001/x", "b": "http://127.0.0.1:41000"}',
    );
    expect(rewriteOrigins("http://127.0.0.1:5000/v3", map)).toBe("http://127.0.0.1:41000/v3");
  });
});
