import type { Db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/credentials";
import type { GlobalRole, ProjectRole } from "@/lib/auth/policy";

export interface SeedUser {
  username: string;
  password: string;
  role: GlobalRole;
  projects: { name: string; role: ProjectRole }[];
}

/** Demo accounts: an admin, a team lead and a tenant member of project "demo". */
export const DEMO_USERS: SeedUser[] = [
  { username: "admin", password: "tripod-admin", role: "admin", projects: [] },
  { username: "lena", password: "tripod-lead", role: "lead", projects: [{ name: "demo", role: "lead" }] },
  { username: "alice", password: "tripod-demo", role: "member", projects: [{ name: "demo", role: "member" }] },
];

/** Idempotent: creates missing users, projects and memberships; leaves existing passwords alone. */
export async function seedUsers(db: Db, users: SeedUser[]): Promise<void> {
  for (const u of users) {
    const existing = await db.user.findUnique({ where: { username: u.username } });
    const user =
      existing ?? (await db.user.create({ data: { username: u.username, role: u.role, passwordHash: await hashPassword(u.password) } }));
    for (const p of u.projects) {
      const project = await db.project.upsert({ where: { name: p.name }, update: {}, create: { name: p.name } });
      await db.membership.upsert({
        where: { userId_projectId: { userId: user.id, projectId: project.id } },
        update: {},
        create: { userId: user.id, projectId: project.id, role: p.role },
      });
    }
  }
}
