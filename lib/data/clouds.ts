import { z } from "zod";
import type { Db } from "@/lib/db";
import { can, type Actor } from "@/lib/auth/policy";
import { sealSecret } from "@/lib/crypto/seal";
import { audit } from "@/lib/audit";
import { createSession, NO_RETRY, type SessionOptions } from "@/lib/openstack/client";
import { CloudConfigError, loadCloud } from "@/lib/openstack/config";
import { OpenStackError } from "@/lib/openstack/errors";
import { CloudCredentialsSchema, type CloudCredentials } from "@/lib/openstack/keystone/credentials";
import { get as novaLimits } from "@/lib/openstack/nova/limits/requests";
import { capabilities as networkCapabilities } from "@/lib/openstack/neutron/extensions/requests";
import { details as neutronQuotas } from "@/lib/openstack/neutron/quotas/requests";
import { isForeignKeyViolation } from "@/lib/lifecycle/operations";
import { fieldErrors, ForbiddenError, InvalidInputError, InvalidStateError, NotFoundError, parseCommand, unlessTaken, type FieldErrors } from "./errors";
import { allow, visibleProject } from "./guard";
import { Id, OptionalText, type Fields } from "./input";

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

// ---- Clouds in the UI (leads of the project and administrators) ----
// A cloud is registered from the form's fields or from an uploaded clouds.yaml entry; either way the connection is
// tested first (authenticate, read the catalog, the project's quotas and the Neutron extensions) and nothing is
// saved unless that passed. Credentials are write-only: no read model ever carries them.


export const CloudFormInput = z.object({
  projectId: Id,
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "Lower-case letters, digits and dashes, at most 63"),
  authUrl: OptionalText(2048),
  region: OptionalText(255),
  interface: z.enum(["public", "internal", "admin"], "public, internal or admin").default("public"),
  caBundle: OptionalText(256 * 1024, "At most 256 KiB of PEM"),
  credentialType: z.enum(["password", "application_credential"], "password or application_credential").default("password"),
  username: OptionalText(255),
  password: OptionalText(1024),
  userDomainName: OptionalText(255),
  projectName: OptionalText(255),
  projectDomainName: OptionalText(255),
  applicationCredentialId: OptionalText(255),
  applicationCredentialSecret: OptionalText(1024),
  /** An uploaded clouds.yaml (the form's fields above are then ignored but for projectId, name and caBundle). */
  cloudsYaml: OptionalText(256 * 1024, "At most 256 KiB"),
  cloud: OptionalText(255),
});
export type CloudFormFields = z.input<typeof CloudFormInput>;

const CLOUDS_YAML = "/uploaded/clouds.yaml";

/** The form's fields (or its clouds.yaml entry) as a registration, or the field errors. */
function toRegistration(fields: z.output<typeof CloudFormInput>): z.output<typeof RegisterCloudSchema> {
  let input: RegisterCloudInput;
  if (fields.cloudsYaml) {
    let resolved;
    try {
      resolved = loadCloud({
        cloud: fields.cloud,
        env: { OS_CLIENT_CONFIG_FILE: CLOUDS_YAML },
        cwd: "/nonexistent",
        home: "/nonexistent",
        // Only the upload itself; a cacert path in it is answered with the form's CA bundle, never a local file.
        readFile: (file) => (file === CLOUDS_YAML ? fields.cloudsYaml : /\.(ya?ml|json)$/.test(file) ? undefined : fields.caBundle),
      });
    } catch (error) {
      if (error instanceof CloudConfigError) throw new InvalidInputError({ cloudsYaml: error.message });
      throw new InvalidInputError({ cloudsYaml: "This is not a clouds.yaml file Tripod can read." });
    }
    const auth = resolved.session.auth;
    input = {
      projectId: fields.projectId,
      name: fields.name,
      authUrl: resolved.session.authUrl,
      region: resolved.session.region,
      interface: resolved.session.interface,
      caBundle: resolved.session.caBundle ?? fields.caBundle,
      credentials:
        auth.type === "password"
          ? { type: "password", username: auth.username ?? "", password: auth.password, userDomainName: auth.userDomainName, projectName: auth.projectName ?? "", projectDomainName: auth.projectDomainName }
          : { type: "application_credential", applicationCredentialId: auth.applicationCredentialId ?? "", applicationCredentialSecret: auth.applicationCredentialSecret },
    };
  } else {
    input = {
      projectId: fields.projectId,
      name: fields.name,
      authUrl: fields.authUrl ?? "",
      region: fields.region,
      interface: fields.interface,
      caBundle: fields.caBundle,
      credentials:
        fields.credentialType === "password"
          ? {
              type: "password",
              username: fields.username ?? "",
              password: fields.password ?? "",
              userDomainName: fields.userDomainName,
              projectName: fields.projectName ?? "",
              projectDomainName: fields.projectDomainName,
            }
          : { type: "application_credential", applicationCredentialId: fields.applicationCredentialId ?? "", applicationCredentialSecret: fields.applicationCredentialSecret ?? "" },
    };
  }
  const parsed = RegisterCloudSchema.safeParse(input);
  if (!parsed.success) {
    // The form names credential fields without the "credentials." prefix.
    throw new InvalidInputError(Object.fromEntries(Object.entries(fieldErrors(parsed.error)).map(([k, v]) => [k.replace(/^credentials\./, ""), v])));
  }
  return parsed.data;
}

export interface ConnectionCheck {
  name: "authenticate" | "catalog" | "quotas" | "extensions";
  ok: boolean;
  detail: string;
}
export interface ConnectionReport {
  ok: boolean;
  checks: ConnectionCheck[];
  openstackProjectId?: string;
}

const CONNECTION_TIMEOUT_MS = 15_000;
const NEEDED_SERVICES = ["compute", "network", "image", "object-store"] as const;

/** Talks to the cloud with the given settings; every check's outcome in words (Keystone's own message on a refusal). */
export async function probeCloud(options: SessionOptions): Promise<ConnectionReport> {
  const session = createSession({ ...options, retry: NO_RETRY, timeoutMs: CONNECTION_TIMEOUT_MS });
  const checks: ConnectionCheck[] = [];
  const run = async <T>(name: ConnectionCheck["name"], fn: () => Promise<[T, string]>): Promise<T | undefined> => {
    try {
      const [value, detail] = await fn();
      checks.push({ name, ok: true, detail });
      return value;
    } catch (error) {
      checks.push({ name, ok: false, detail: error instanceof OpenStackError ? error.message : "The cloud answered something Tripod does not understand." });
      if (!(error instanceof OpenStackError)) console.error(error);
      return undefined;
    }
  };
  const projectId = await run("authenticate", async () => {
    const id = await session.projectId();
    return [id, `Signed in; OpenStack project ${id}.`];
  });
  if (!projectId) return { ok: false, checks };
  await run("catalog", async () => {
    const found = await Promise.all(NEEDED_SERVICES.map((s) => session.endpoint(s)));
    return [found, `Endpoints for ${NEEDED_SERVICES.join(", ")}.`];
  });
  await run("quotas", async () => {
    const [compute, network] = await Promise.all([novaLimits(session), neutronQuotas(session, { projectId })]);
    const ports = network.port;
    return [compute, `Instances ${compute.instancesUsed}/${compute.maxInstances}, cores ${compute.coresUsed}/${compute.maxCores}, ports ${ports ? `${ports.used}/${ports.limit}` : "?"}.`];
  });
  await run("extensions", async () => {
    const caps = await networkCapabilities(session);
    const missing = [!caps.portSecurity && "port-security", !caps.allowedAddressPairs && "allowed-address-pairs", !caps.tagging && "standard-attr-tag"].filter(Boolean);
    if (missing.length) throw new OpenStackError({ kind: "UnexpectedStatus", service: "network", method: "GET", url: "/v2.0/extensions" }, `Neutron lacks ${missing.join(", ")}; Tripod's VIPs need them.`);
    return [caps, "Neutron has port-security, allowed-address-pairs and tags."];
  });
  return { ok: checks.every((c) => c.ok), checks, openstackProjectId: projectId };
}

function sessionOf(registration: z.output<typeof RegisterCloudSchema>): SessionOptions {
  return { authUrl: registration.authUrl, auth: registration.credentials, region: registration.region, interface: registration.interface, caBundle: registration.caBundle };
}

function failedConnection(report: ConnectionReport): InvalidInputError {
  const failed = report.checks.find((c) => !c.ok);
  return new InvalidInputError({ connection: `Test connection failed (${failed?.name}): ${failed?.detail ?? "no answer"} Nothing was saved.` });
}

async function cloudProjectForChange(db: Db, actor: Actor, projectId: string, action: string) {
  const project = await visibleProject(db, actor, projectId, action);
  await allow(db, actor, "cloud.manage", { projectId, label: `project ${project.name}` }, action);
  return project;
}

/** Test connection (saves nothing). */
export async function testCloud(db: Db, actor: Actor, input: Fields<typeof CloudFormInput>): Promise<ConnectionReport> {
  const fields = parseCommand(CloudFormInput, input);
  const project = await cloudProjectForChange(db, actor, fields.projectId, "cloud.test");
  const report = await probeCloud(sessionOf(toRegistration(fields)));
  await audit(db, { actor, action: "cloud.test", target: `cloud ${fields.name} of project ${project.name}`, outcome: report.ok ? "succeeded" : "failed", projectId: project.id });
  return report;
}

/** Registers a new cloud after a passing test connection; binds the project to the OpenStack project if unbound. */
export async function addCloud(db: Db, actor: Actor, input: Fields<typeof CloudFormInput>): Promise<{ cloudId: string; report: ConnectionReport }> {
  const fields = parseCommand(CloudFormInput, input);
  const project = await cloudProjectForChange(db, actor, fields.projectId, "cloud.register");
  const registration = toRegistration(fields);
  const nameTaken = { name: "This project has a cloud of this name; rotate its credentials instead" };
  // Checked before the connection test, which takes seconds; the unique index tells a request that took the name
  // meanwhile.
  if (await db.cloud.findUnique({ where: { projectId_name: { projectId: project.id, name: registration.name } } })) throw new InvalidInputError(nameTaken);
  const report = await probeCloud(sessionOf(registration));
  const target = `cloud ${registration.name} of project ${project.name}`;
  if (!report.ok) {
    await audit(db, { actor, action: "cloud.register", target, outcome: "failed", projectId: project.id, detail: report.checks.find((c) => !c.ok)?.name });
    throw failedConnection(report);
  }
  const { credentials, ...rest } = registration;
  const row = await unlessTaken(db.cloud.create({ data: { ...rest, credentialsSealed: sealSecret(JSON.stringify(credentials)) } }), nameTaken);
  if (!project.openstackProjectId && report.openstackProjectId) {
    await db.project.update({ where: { id: project.id }, data: { openstackProjectId: report.openstackProjectId } });
  }
  await audit(db, { actor, action: "cloud.register", target, outcome: "succeeded", projectId: project.id, detail: row.id });
  return { cloudId: row.id, report };
}

/** The cloud, if the actor may see its project; otherwise NotFound (audited). */
async function visibleCloud(db: Db, actor: Actor, cloudId: string, action: string) {
  const cloud = await db.cloud.findUnique({ where: { id: cloudId }, include: { project: true } });
  if (!cloud) throw new NotFoundError("That cloud");
  await visibleProject(db, actor, cloud.projectId, action).catch(async (error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError("That cloud") : error;
  });
  return cloud;
}

export const RotateCredentialsInput = CloudFormInput.pick({
  credentialType: true,
  username: true,
  password: true,
  userDomainName: true,
  projectName: true,
  projectDomainName: true,
  applicationCredentialId: true,
  applicationCredentialSecret: true,
}).extend({ cloudId: Id });

/** New credentials for a cloud, tested against it before they replace the old ones. */
export async function rotateCloudCredentials(db: Db, actor: Actor, input: Fields<typeof RotateCredentialsInput>): Promise<ConnectionReport> {
  const fields = parseCommand(RotateCredentialsInput, input);
  const cloud = await visibleCloud(db, actor, fields.cloudId, "cloud.rotate");
  await allow(db, actor, "cloud.manage", { projectId: cloud.projectId, label: `cloud ${cloud.name}` }, "cloud.rotate");
  const registration = toRegistration({
    ...fields,
    projectId: cloud.projectId,
    name: cloud.name,
    authUrl: cloud.authUrl,
    region: cloud.region ?? undefined,
    interface: cloud.interface as "public",
    caBundle: cloud.caBundle ?? undefined,
    cloudsYaml: undefined,
    cloud: undefined,
  });
  const report = await probeCloud(sessionOf(registration));
  const target = `cloud ${cloud.name} of project ${cloud.project.name}`;
  if (!report.ok) {
    await audit(db, { actor, action: "cloud.rotate", target, outcome: "failed", projectId: cloud.projectId });
    throw failedConnection(report);
  }
  await db.cloud.update({ where: { id: cloud.id }, data: { credentialsSealed: sealSecret(JSON.stringify(registration.credentials)) } });
  await audit(db, { actor, action: "cloud.rotate", target, outcome: "succeeded", projectId: cloud.projectId });
  return report;
}

export const RemoveCloudInput = z.object({ cloudId: Id });

/** Removes a cloud no cluster uses (a deleted cluster's history keeps its cloud). */
export async function removeCloud(db: Db, actor: Actor, input: Fields<typeof RemoveCloudInput>): Promise<void> {
  const { cloudId } = parseCommand(RemoveCloudInput, input);
  const cloud = await visibleCloud(db, actor, cloudId, "cloud.remove");
  await allow(db, actor, "cloud.manage", { projectId: cloud.projectId, label: `cloud ${cloud.name}` }, "cloud.remove");
  const clusters = await db.cluster.count({ where: { cloudId } });
  if (clusters > 0) throw new InvalidStateError(`${clusters} cluster${clusters === 1 ? " uses" : "s use"} this cloud (deleted ones keep it for their history); it stays.`);
  // Another request may have removed it since it was read, or drafted a cluster on it since they were counted.
  const { count } = await db.cloud.deleteMany({ where: { id: cloudId } }).catch((error: unknown) => {
    throw isForeignKeyViolation(error) ? new InvalidStateError("A cluster was drafted on this cloud a moment ago; it stays.") : error;
  });
  if (count === 0) throw new NotFoundError("That cloud");
  await audit(db, { actor, action: "cloud.remove", target: `cloud ${cloud.name} of project ${cloud.project.name}`, outcome: "succeeded", projectId: cloud.projectId });
}

export const SignInDomainsInput = z.object({
  cloudId: Id,
  domains: z
    .string()
    .max(1024, "At most 1024 characters")
    .transform((v) => v.split(",").map((d) => d.trim()).filter(Boolean))
    .refine((ds) => ds.every((d) => /^[A-Za-z0-9_.-]{1,64}$/.test(d)), "Domain names separated by commas"),
});

/** Administrators: which Keystone domains' users may sign in through this cloud's Keystone (empty: none). */
export async function setSignInDomains(db: Db, actor: Actor, input: Fields<typeof SignInDomainsInput>): Promise<void> {
  const { cloudId, domains } = parseCommand(SignInDomainsInput, input);
  await allow(db, actor, "signin.manage", { label: `cloud ${cloudId}` }, "cloud.sign-in");
  const cloud = await db.cloud.findUnique({ where: { id: cloudId }, include: { project: true } });
  if (!cloud) throw new NotFoundError("That cloud");
  await db.cloud.update({ where: { id: cloudId }, data: { signInDomains: domains.length ? domains.join(",") : null } });
  await audit(db, { actor, action: "cloud.sign-in", target: `cloud ${cloud.name} of project ${cloud.project.name}`, outcome: "succeeded", detail: domains.join(",") || "off", projectId: cloud.projectId });
}
