import { describe, expect, it } from "vitest";
import { setBounded } from "@/lib/bounded-map";

// lib/bounded-map.ts: the per-process caches (decoded cookies, plans, prepared statements) keep at most `max`
// entries; the oldest set makes room, and setting a key again makes it the newest.

describe("setBounded", () => {
  it("drops the oldest entry when full, and moves a key set again to the end", () => {
    const map = new Map<string, number>();
    for (const [i, key] of ["a", "b", "c"].entries()) setBounded(map, key, i, 3);
    setBounded(map, "a", 10, 3);
    expect([...map]).toEqual([["b", 1], ["c", 2], ["a", 10]]);
    setBounded(map, "d", 3, 3);
    expect([...map]).toEqual([["c", 2], ["a", 10], ["d", 3]]);
  });
});
