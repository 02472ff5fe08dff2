import { describe, expect, it } from "vitest";
import { ingestUrlFromEnv, ingestUrlWarning } from "@/lib/vip/ingest-url";

describe("the VIP agents' ingest URL", () => {
  it("defaults to the route under NEXTAUTH_URL, TRIPOD_INGEST_URL wins", () => {
    expect(ingestUrlFromEnv({})).toBe("http://127.0.0.1:3000/api/vrrp/ingest");
    expect(ingestUrlFromEnv({ NEXTAUTH_URL: "https://tripod.example.com" })).toBe("https://tripod.example.com/api/vrrp/ingest");
    expect(ingestUrlFromEnv({ NEXTAUTH_URL: "https://a.example", TRIPOD_INGEST_URL: "https://b.example/api/vrrp/ingest" })).toBe("https://b.example/api/vrrp/ingest");
  });

  it.each(["http://127.0.0.1:3000/api/vrrp/ingest", "http://127.3.2.1/x", "http://localhost:3000/x", "http://[::1]:3000/x", "http://0.0.0.0/x", "http://app.localhost/x"])(
    "warns about %s (unreachable from the nodes)",
    (url) => {
      expect(ingestUrlWarning(url)).toContain("loopback");
    },
  );

  it.each(["https://tripod.example.com/api/vrrp/ingest", "http://198.51.100.10:3000/api/vrrp/ingest", "http://[2001:db8::1]/x"])("accepts %s", (url) => {
    expect(ingestUrlWarning(url)).toBeNull();
  });

  it.each(["not a url", "tripod:3000/api/vrrp/ingest"])("names %s as no http(s) URL", (url) => {
    expect(ingestUrlWarning(url)).toContain("not an http(s) URL");
  });
});
