import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { createDb, type Db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/credentials";
import { loadActor } from "@/lib/data/actor";
import type { GlobalRole, ProjectRole } from "@/lib/auth/policy";

/** The vitest run's SQLite file (migrated by test/global-setup.ts); tests keep apart by unique names. */
export function testDb(): Db {
  return createDb(process.env.DATABASE_URL);
}

/** A database of its own, migrated like production, for code that acts on every row (workers claiming work). */
export function isolatedDb(name: string): { db: Db; url: string; dispose: () => Promise<void> } {
  mkdirSync(".tmp", { recursive: true });
  const file = `.tmp/${name}-${process.pid}-${randomBytes(3).toString("hex")}.db`;
  const url = `file:./${file}`;
  execFileSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
  const db = createDb(url);
  return {
    db,
    url,
    dispose: async () => {
      await db.$disconnect();
      rmSync(file, { force: true });
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
