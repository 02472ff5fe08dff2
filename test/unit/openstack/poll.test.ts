import { describe, expect, it } from "vitest";
import { createSession } from "@/lib/openstack/client";
import { pollDelay, pollUntil } from "@/lib/openstack/poll";

describe("polling", () => {
  it("starts fast and slows down by half each read, up to the interval", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => pollDelay(n, { intervalMs: 2_000 }))).toEqual([500, 750, 1125, 1688, 2000, 2000, 2000]);
    expect(pollDelay(1, { intervalMs: 100 })).toBe(100);
  });

  it("reads until done; a timeout names what is pending", async () => {
    let now = 0;
    const session = createSession({ authUrl: "http://127.0.0.1:9/v3", auth: { type: "password", username: "u", password: "p" }, now: () => now });
    let reads = 0;
    expect(await pollUntil(session, async () => (++reads === 3 ? "done" : undefined), () => "x", { intervalMs: 1, firstIntervalMs: 1 })).toBe("done");
    expect(reads).toBe(3);
    await expect(
      pollUntil(session, async () => ((now += 1_000), undefined), () => "server s not ACTIVE", { timeoutMs: 2_500, intervalMs: 1 }),
    ).rejects.toThrow("server s not ACTIVE after 2500 ms");
  });
});
