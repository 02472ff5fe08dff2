import { z } from "zod";
import type { Db } from "@/lib/db";
import { can, type Actor } from "@/lib/auth/policy";
import { sealSecret } from "@/lib/crypto/seal";
import { CloudCredentialsSchema, type CloudCredentials } from "@/lib/openstack/keystone/credentials";
import { fieldErrors, ForbiddenError, type FieldErrors } from "./errors";

export type { CloudCredentials };

export const RegisterCloudSchema = z.object({
  projectId: z.string().min(1, "Choose a project"),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "Lower-case letters, digits and dashes, at most 63"),
  authUrl: z.url({ protocol: /^https?$/, error: "Keystone URL must be an http(s) URL" }),
  region: z.string().min(1).optional(),
  interface: z.enum(["public", "internal", "admin"]).default("public"),
  caBundle: z.string().includes("-----BEGIN CERTIFICATE-----", { error: "CA bundle must be PEM" }).optional(),
  credentials: CloudCredentialsSchema,
});
export type RegisterCloudInput = z.input<typeof RegisterCloudSchema>;

export interface CloudSummary {
  id: string;
  name: string;
  authUrl: string;
  region: string | null;
  interface: string;
  credentialType: CloudCredentials["type"];
}

/** Registers (or replaces) a cloud for a project; the credentials are sealed before they reach the database. */
export async function registerCloud(
  db: Db,
  actor: Actor,
  input: RegisterCloudInput,
): Promise<{ ok: true; cloud: CloudSummary } | { ok: false; errors: FieldErrors }> {
  const parsed = RegisterCloudSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { credentials, ...rest } = parsed.data;
  if (!can(actor, "cloud.manage", { projectId: rest.projectId })) throw new ForbiddenError();
  const data = { ...rest, credentialsSealed: sealSecret(JSON.stringify(credentials)) };
  const row = await db.cloud.upsert({
    where: { projectId_name: { projectId: rest.projectId, name: rest.name } },
    update: data,
    create: data,
  });
  return {
    ok: true,
    cloud: { id: row.id, name: row.name, authUrl: row.authUrl, region: row.region, interface: row.interface, credentialType: credentials.type },
  };
}
