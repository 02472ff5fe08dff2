import { describe, expect, it } from "vitest";
import { slicer } from "@/lib/util/slices";

// lib/util/slices.ts: a long loop gives way to the event loop every few milliseconds of its own work, not after
// every item (each give-way costs a turn of the loop) and not only at its end.

describe("slicer", () => {
  it("gives way once a slice has run its length, and lets what came meanwhile run before the loop goes on", async () => {
    let clock = 0;
    const giveWay = slicer(5, () => clock);
    const order: string[] = [];
    setImmediate(() => order.push("a request that came meanwhile"));
    for (let item = 0; item < 100; item++) {
      await giveWay();
      order.push(`item ${item}`);
      clock += 1; // each item costs 1 ms
    }
    // the request ran after the first slice (items 0 to 4), not after the hundredth item
    expect(order.indexOf("a request that came meanwhile")).toBe(5);
  });

  it("does not give way within a slice", async () => {
    let clock = 0;
    const giveWay = slicer(5, () => clock);
    let ran = false;
    setImmediate(() => (ran = true));
    for (let item = 0; item < 4; item++) {
      await giveWay();
      clock += 1;
    }
    expect(ran).toBe(false);
  });
});
