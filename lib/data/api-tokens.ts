import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import type { Actor } from "@/lib/auth/policy";
import { loadActor } from "./actor";
import { NotFoundError, parseCommand } from "./errors";

// Personal API tokens for the automation API. A token acts with its user's rights as they are at each request
// (roles and memberships read fresh), so it can never do more than its user could in the browser. Only its
// SHA-256 is stored (the token has 256 bits of randomness: a fast hash is enough); creation and revocation are
// audited, and so is every use case the API calls.

const TOKEN_PREFIX = "tripod_";

export interface ApiTokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const CreateApiTokenInput = z.object({ name: z.string().trim().min(1, "Name the token (what uses it)").max(80, "80 characters at most") });
export const RevokeApiTokenInput = z.object({ tokenId: z.string().min(1).max(64) });

export async function listApiTokens(db: Db, actor: Actor): Promise<ApiTokenSummary[]> {
  const rows = await db.apiToken.findMany({ where: { userId: actor.id }, orderBy: { createdAt: "desc" } });
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }));
}

/** A new token of the actor's own; the token itself is in the answer only. */
export async function createApiToken(db: Db, actor: Actor, input: z.input<typeof CreateApiTokenInput>): Promise<{ id: string; token: string }> {
  const { name } = parseCommand(CreateApiTokenInput, input);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = await db.apiToken.create({ data: { userId: actor.id, name, prefix: token.slice(0, TOKEN_PREFIX.length + 6), hash: hashToken(token) } });
  await audit(db, { actor, action: "api-token.create", target: `api token ${name}`, outcome: "succeeded", detail: row.id });
  return { id: row.id, token };
}

/** Revokes one of the actor's own tokens; the next request with it gets 401. */
export async function revokeApiToken(db: Db, actor: Actor, input: z.input<typeof RevokeApiTokenInput>): Promise<void> {
  const { tokenId } = parseCommand(RevokeApiTokenInput, input);
  const revoked = await db.apiToken.updateMany({ where: { id: tokenId, userId: actor.id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (revoked.count === 0) {
    await audit(db, { actor, action: "api-token.revoke", target: `api token ${tokenId}`, outcome: "denied" });
    throw new NotFoundError("That token");
  }
  await audit(db, { actor, action: "api-token.revoke", target: `api token ${tokenId}`, outcome: "succeeded" });
}

/** The actor a request's `Authorization: Bearer tripod_…` stands for, or null (missing, unknown or revoked). */
export async function actorOfBearer(db: Db, authorization: string | null, now = new Date()): Promise<Actor | null> {
  const token = /^Bearer\s+(tripod_\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token) return null;
  const row = await db.apiToken.findUnique({ where: { hash: hashToken(token) } });
  if (!row || row.revokedAt) return null;
  // A disabled user's tokens stop working at once, as their sessions do.
  const user = await db.user.findUnique({ where: { id: row.userId }, select: { disabled: true } });
  if (!user || user.disabled) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return loadActor(db, row.userId);
}
