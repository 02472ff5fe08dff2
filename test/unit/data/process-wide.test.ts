import { describe, expect, it, vi } from "vitest";

// lib/process-wide.ts: Next.js runs a module once per layer that imports it (pages, route handlers, the proxy); a
// value kept with processWide is one per process whichever copy of the module asks for it.

describe("processWide", () => {
  it("gives every copy of a module the value the first one created", async () => {
    const first = await import("@/lib/process-wide");
    vi.resetModules();
    const second = await import("@/lib/process-wide");
    expect(second.processWide).not.toBe(first.processWide);
    const create = vi.fn(() => new Map<string, number>());
    const a = first.processWide("test-shared", create);
    const b = second.processWide("test-shared", create);
    expect(b).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
    expect(first.processWide("test-other", () => new Map())).not.toBe(a);
  });
});
