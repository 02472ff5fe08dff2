import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { forgetFailures, reserveAttempt, roleOf, verifyLogin, type LoginResult } from "@/lib/auth/credentials";
import { createSession, NO_RETRY } from "@/lib/openstack/client";
import { OpenStackError } from "@/lib/openstack/errors";
import { listForToken } from "@/lib/openstack/keystone/projects/requests";

// Sign-in, the two ways: a Tripod account (user name and password here), or a Keystone user (user name, password and
// domain checked by the Keystone of a cloud that an administrator opened for that domain). A Keystone user's project
// memberships come from Keystone: the projects where they hold a role, mapped to Tripod projects by OpenStack project
// id, renewed at every sign-in. Every attempt is audited with its source address; no password is ever logged.

export interface SignInInput {
  username: string;
  password: string;
  /** Empty: a Tripod account. Otherwise the Keystone user's domain. */
  domain?: string;
  source?: string;
}

const KEYSTONE_TIMEOUT_MS = 10_000;

/** Clouds that accept sign-ins for a domain (signInDomains is a comma-separated list, compared case-insensitively). */
async function signInClouds(db: Db, domain: string) {
  const clouds = await db.cloud.findMany({ where: { signInDomains: { not: null } }, orderBy: { createdAt: "asc" } });
  return clouds.filter((c) => c.signInDomains!.split(",").some((d) => d.trim().toLowerCase() === domain.toLowerCase()));
}

export function keystoneUsername(username: string, domain: string): string {
  return `${username}@${domain}`;
}

async function keystoneSignIn(db: Db, input: Required<Pick<SignInInput, "username" | "password" | "domain">> & { source?: string }): Promise<LoginResult> {
  const name = keystoneUsername(input.username, input.domain);
  const reservation = await reserveAttempt(db, name, { source: input.source });
  if ("refused" in reservation) return { ok: false, reason: reservation.refused };
  const cloud = (await signInClouds(db, input.domain))[0];
  if (!cloud) return { ok: false, reason: "unknownDomain" };
  const session = createSession({
    authUrl: cloud.authUrl,
    caBundle: cloud.caBundle ?? undefined,
    auth: { type: "password", username: input.username, password: input.password, userDomainName: input.domain },
    retry: NO_RETRY,
    timeoutMs: KEYSTONE_TIMEOUT_MS,
  });
  let keystoneUserId: string;
  let projectIds: string[];
  try {
    keystoneUserId = await session.userId();
    projectIds = (await listForToken(session)).map((p) => p.id);
  } catch (error) {
    if (error instanceof OpenStackError && error.kind === "AuthenticationFailed") return { ok: false, reason: "keystoneInvalid" };
    if (error instanceof OpenStackError) {
      console.error(`Keystone sign-in through cloud ${cloud.id}: ${error.kind} ${error.status ?? ""} ${error.url}`);
      return { ok: false, reason: "keystoneDown" };
    }
    throw error;
  }
  const existing = await db.user.findUnique({ where: { username: name } });
  if (existing && (existing.disabled || existing.source !== "keystone")) return { ok: false, reason: "invalid" };
  const projects = await db.project.findMany({ where: { openstackProjectId: { in: projectIds } }, select: { id: true } });
  const user = await db.$transaction(async (tx) => {
    const row =
      existing ??
      (await tx.user.create({ data: { username: name, passwordHash: "!keystone", source: "keystone", keystoneCloudId: cloud.id, keystoneUserId } }));
    const wanted = new Set(projects.map((p) => p.id));
    await tx.membership.deleteMany({ where: { userId: row.id, source: "keystone", projectId: { notIn: [...wanted] } } });
    for (const projectId of wanted) {
      await tx.membership.upsert({
        where: { userId_projectId: { userId: row.id, projectId } },
        update: {},
        create: { userId: row.id, projectId, role: "member", source: "keystone" },
      });
    }
    return tx.user.update({ where: { id: row.id }, data: { keystoneCloudId: cloud.id, keystoneUserId } });
  });
  await forgetFailures(db, reservation.id, name, input.source);
  return { ok: true, user: { id: user.id, username: user.username, role: roleOf(user.role), sessionVersion: user.sessionVersion } };
}

/** One sign-in attempt, audited (success or failure, with the reason's key and the source address). */
export async function signIn(db: Db, input: SignInInput): Promise<LoginResult> {
  const domain = input.domain?.trim();
  const result = domain
    ? await keystoneSignIn(db, { username: input.username, password: input.password, domain, source: input.source })
    : await verifyLogin(db, input.username, input.password, { source: input.source });
  const who = domain ? keystoneUsername(input.username, domain) : input.username;
  await audit(db, {
    actor: result.ok ? { id: result.user.id, username: result.user.username } : null,
    source: input.source,
    action: domain ? "session.sign-in.keystone" : "session.sign-in",
    target: `user ${who}`,
    outcome: result.ok ? "succeeded" : "failed",
    detail: result.ok ? undefined : result.reason,
  });
  return result;
}

/** Sign-out ends every session of the user (the session version moves on). */
export async function signOut(db: Db, userId: string, source?: string): Promise<void> {
  const user = await db.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } }).catch(() => null);
  if (user) await audit(db, { actor: { id: user.id, username: user.username, source }, action: "session.sign-out", target: `user ${user.username}`, outcome: "succeeded" });
}
