import { describe, expect, it } from "vitest";
import { dateTime, duration } from "@/app/ui/time-text";

// The pages' times (app/ui/time-text.ts): the same text on the server and in the browser, whatever their zones.

const T0 = "2026-12-06T05:00:00.000Z";
const after = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

describe("the pages' times", () => {
  it("give a duration in the two units that say it, up to days (a wait for bootstrap is not 2400.0 s)", () => {
    expect(duration(T0, after(850), null)).toBe("850 ms");
    expect(duration(T0, after(12_400), null)).toBe("12.4 s");
    expect(duration(T0, after(185_000), null)).toBe("3 min 5 s");
    expect(duration(T0, after(40 * 60_000), null)).toBe("40 min 0 s");
    expect(duration(T0, after(72 * 60_000 + 30_000), null)).toBe("1 h 12 min");
    expect(duration(T0, after(51 * 3_600_000 + 60_000), null)).toBe("2 d 3 h");
  });

  it("count a running step to the browser's clock, and say 'running' before it is known", () => {
    expect(duration(T0, null, Date.parse(T0) + 90_000)).toBe("1 min 30 s");
    expect(duration(T0, null, null)).toBe("running");
    expect(duration(null, null, null)).toBe("");
  });

  it("date a moment in UTC", () => {
    expect(dateTime("2026-01-07T03:26:39.123Z")).toBe("2026-01-07 03:26:39");
    expect(dateTime("2026-01-07T03:26:39.123+02:00")).toBe("2026-01-07 01:26:39");
    expect(dateTime(null)).toBe("—");
    expect(dateTime("2026-01-07T03:26:39.123Z", "minute")).toBe("2026-01-07 03:26");
    expect(dateTime("2026-01-07T03:26:39.123Z", "day")).toBe("2026-01-07");
  });
});
