import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createDb, type Db } from "@/lib/db";
import { isPostgresUrl, sqliteFiles } from "@/lib/db-url";
import { hashPassword } from "@/lib/auth/credentials";
import type { Actor, GlobalRole, ProjectRole } from "@/lib/auth/policy";
import { loadActor } from "@/lib/data/actor";
import type { DraftDeps } from "@/lib/data/clusters";
import { createDatabase, dropDatabase } from "./postgres";

/**
 * The vitest run's database (migrated by test/global-setup.ts): a SQLite file, or with
 * TRIPOD_TEST_DATABASE=postgresql a database on the run's own PostgreSQL. Tests keep apart by unique names.
 */
export function testDb(): Db {
  return createDb(process.env.DATABASE_URL);
}

/** `prisma migrate deploy` into `url`, as `npm run serve` does. */
export function migrate(url: string): void {
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
}

/** Removes a SQLite database at `url` with its log, index and journal (lib/db-url.ts sqliteFiles). */
export function removeSqliteFiles(url: string): void {
  for (const file of sqliteFiles(url)) rmSync(file, { force: true });
}

/**
 * A database of its own, migrated like production, for code that acts on every row (workers claiming work): a
 * SQLite file beside the run's, or a database on the run's PostgreSQL server; with `sqlite`, a SQLite file whatever
 * the run's database (for what only SQLite does).
 */
export function isolatedDb(name: string, { sqlite = false } = {}): { db: Db; url: string; dispose: () => Promise<void> } {
  const unique = `${name}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const runUrl = process.env.DATABASE_URL ?? "";
  let url: string;
  let remove: () => void;
  if (isPostgresUrl(runUrl) && !sqlite) {
    url = createDatabase(runUrl, unique.replace(/-/g, "_"));
    remove = () => dropDatabase(url);
  } else {
    mkdirSync(".tmp", { recursive: true });
    const file = `.tmp/${unique}.db`;
    url = `file:./${file}`;
    remove = () => removeSqliteFiles(url);
  }
  migrate(url);
  const db = createDb(url);
  return {
    db,
    url,
    dispose: async () => {
      await db.$disconnect();
      remove();
    },
  };
}

export function uniq(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export async function makeUser(db: Db, opts: { role?: GlobalRole; password?: string; projects?: { id: string; role: ProjectRole }[] } = {}) {
  const user = await db.user.create({
    data: { username: uniq("user"), role: opts.role ?? "member", passwordHash: await hashPassword(opts.password ?? "pw") },
  });
  for (const p of opts.projects ?? []) await db.membership.create({ data: { userId: user.id, projectId: p.id, role: p.role } });
  return user;
}

export async function makeProjectWithCluster(db: Db, creatorId: string) {
  const project = await db.project.create({ data: { name: uniq("proj") } });
  const cloud = await db.cloud.create({ data: { projectId: project.id, name: "c", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "x" } });
  const cluster = await db.cluster.create({
    data: { projectId: project.id, cloudId: cloud.id, name: uniq("cl"), specJson: "{}", infraId: uniq("infra"), createdById: creatorId },
  });
  return { project, cloud, cluster };
}

/** A fresh project with a registered cloud (placeholder credentials), two members, a lead and an outsider. */
export async function projectWithPeople(db: Db) {
  const projectId = (await db.project.create({ data: { name: uniq("p") } })).id;
  const cloudId = (await db.cloud.create({ data: { projectId, name: "c", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "x" } })).id;
  const actor = async (opts: Parameters<typeof makeUser>[1]) => (await loadActor(db, (await makeUser(db, opts)).id))!;
  return {
    projectId,
    cloudId,
    member: await actor({ projects: [{ id: projectId, role: "member" }] }),
    colleague: await actor({ projects: [{ id: projectId, role: "member" }] }),
    lead: await actor({ role: "lead", projects: [{ id: projectId, role: "lead" }] }),
    outsider: await actor({ projects: [] }),
  };
}

/** The cloud's network lookup at draft time, without a cloud: every network exists, its id derived from its name. */
export const standInNetworks: DraftDeps = { networkId: async (_cloud, nameOrId) => `id-of-${nameOrId}` };

/** A project with a registered (unreachable) cloud, and a way to make actors in it. */
export async function makeTenant(db: Db) {
  const project = await db.project.create({ data: { name: uniq("p") } });
  const cloud = await db.cloud.create({ data: { projectId: project.id, name: "c", authUrl: "http://127.0.0.1:5000/v3", credentialsSealed: "x" } });
  const actor = async (opts: Parameters<typeof makeUser>[1]): Promise<Actor> => (await loadActor(db, (await makeUser(db, opts)).id))!;
  return { projectId: project.id, cloudId: cloud.id, actor };
}
