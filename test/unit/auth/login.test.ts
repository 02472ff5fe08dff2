import { afterAll, describe, expect, it } from "vitest";
import { verifyLogin } from "@/lib/auth/credentials";
import { MAX_FAILURES, WINDOW_MS } from "@/lib/auth/login-throttle";
import { makeUser, testDb } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

describe("credentials sign-in", () => {
  it("accepts the right password and rejects a wrong one with one clear reason", async () => {
    const user = await makeUser(db, { password: "correct horse" });
    expect(await verifyLogin(db, user.username, "correct horse")).toMatchObject({ ok: true, user: { id: user.id } });
    expect(await verifyLogin(db, user.username, "wrong")).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyLogin(db, "nobody-by-that-name", "x")).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses the 6th attempt within a minute, even with the right password, and forgets after the window", async () => {
    const user = await makeUser(db, { password: "right" });
    const t0 = new Date();
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(await verifyLogin(db, user.username, `wrong-${i}`, { now: t0 })).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await verifyLogin(db, user.username, "wrong-again", { now: t0 })).toEqual({ ok: false, reason: "throttled" });
    expect(await verifyLogin(db, user.username, "right", { now: t0 })).toEqual({ ok: false, reason: "throttled" });
    const later = new Date(t0.getTime() + WINDOW_MS + 1000);
    expect(await verifyLogin(db, user.username, "right", { now: later })).toMatchObject({ ok: true });
  });
});
