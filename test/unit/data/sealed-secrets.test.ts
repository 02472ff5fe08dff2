import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { loadActor } from "@/lib/data/actor";
import { registerCloud } from "@/lib/data/clouds";
import { generateKey, openSecret, parseKey, SealError, sealSecret } from "@/lib/crypto/seal";
import { makeUser, testDb, uniq } from "../../support/db";

const db = testDb();
afterAll(() => db.$disconnect());

describe("secrets at rest", () => {
  it("round-trips with AES-256-GCM and refuses a wrong key or tampered data", () => {
    const key = parseKey(generateKey());
    const sealed = sealSecret("s3cret", key);
    expect(openSecret(sealed, key)).toBe("s3cret");
    expect(() => openSecret(sealed, parseKey(generateKey()))).toThrow(SealError);
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => openSecret(parts.join("."), key)).toThrow(SealError);
    expect(() => parseKey("c2hvcnQ=")).toThrow(/32 bytes/);
  });

  it("stores no plaintext credential in the Cloud row (read from the SQLite file directly)", async () => {
    const admin = (await loadActor(db, (await makeUser(db, { role: "admin" })).id))!;
    const project = await db.project.create({ data: { name: uniq("sealed") } });
    const password = `pw-${uniq("plain")}`;
    const result = await registerCloud(db, admin, {
      projectId: project.id,
      name: "openstack",
      authUrl: "http://127.0.0.1:5000/v3",
      credentials: { type: "password", username: "demo-user", password, projectName: "demo" },
    });
    expect(result.ok).toBe(true);
    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare("SELECT * FROM Cloud WHERE projectId = ?").get(project.id) as Record<string, unknown>;
    raw.close();
    expect(JSON.stringify(row)).not.toContain(password);
    expect(JSON.stringify(row)).not.toContain("demo-user");
    expect(JSON.parse(openSecret(String(row.credentialsSealed)))).toMatchObject({ type: "password", password });
  });

  it("answers bad cloud input field by field and writes nothing", async () => {
    const admin = (await loadActor(db, (await makeUser(db, { role: "admin" })).id))!;
    const project = await db.project.create({ data: { name: uniq("bad") } });
    const result = await registerCloud(db, admin, {
      projectId: project.id,
      name: "Bad Name",
      authUrl: "ftp://x",
      credentials: { type: "password", username: "", password: "p", projectName: "demo" },
    });
    expect(result).toEqual({
      ok: false,
      errors: expect.objectContaining({ name: expect.any(String), authUrl: expect.any(String), "credentials.username": expect.any(String) }),
    });
    expect(await db.cloud.count({ where: { projectId: project.id } })).toBe(0);
  });
});
