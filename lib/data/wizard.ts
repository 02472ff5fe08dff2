import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { projectIdFilter, type Actor } from "@/lib/auth/policy";
import { refreshOperationHealth, touchCluster } from "@/lib/cluster-health";
import { sealSecret } from "@/lib/crypto/seal";
import {
  ClusterSpecInputSchema,
  draftIssues,
  exportSpecText,
  installerConfigProblem,
  MAX_JSON_DEPTH,
  nestsTooDeep,
  parseJsonText,
  stepOfPath,
  validateClusterSpec,
  VrrpIdsExhaustedError,
  withInstallerConfigs,
  INSTALLER_CONFIG_REFERENCES,
  type ClusterSpec,
  type SpecFieldError,
} from "@/lib/cluster-spec";
import {
  INSTALLER_FILE_LIMITS,
  MAX_SPEC_BYTES,
  REQUEST_BODY_LIMIT_BYTES,
  sizeText,
  INSTALLER_FILE_NAMES,
  INSTALLER_FILES,
  installerFileRouteName,
  RESERVED_VIPS,
  WIZARD_STEPS,
  type InstallerFileKey,
  type WizardStep,
} from "@/lib/domain";
import { clusterApiHosts, KubeconfigError, kubeApiServerProblem, parseKubeconfig } from "@/lib/lifecycle/bootstrap-complete";
import { openStoredSpec } from "@/lib/cluster-spec/sealed";
import { loadInstallerFiles } from "@/lib/lifecycle/installer-files";
import { isUniqueViolation } from "@/lib/lifecycle/operations";
import { plannedResources } from "@/lib/lifecycle/resources";
import { allocateRouterIds, vrrpScope } from "@/lib/lifecycle/vrrp";
import type { Cloud } from "@/lib/generated/prisma/client";
import { readBounded } from "@/lib/util/body";
import { newInfraId, planCluster } from "@/lib/plan";
import { cloudDraftDeps, editableDraft, visibleCluster, type DraftDeps } from "./clusters";
import { allow, visibleProject } from "./guard";
import { InvalidInputError, NotFoundError, parseCommand, TooLargeError, type FieldErrors } from "./errors";
import { Id } from "./input";
import { isRecord } from "@/lib/util/records";

// The create wizard's use cases. A draft is a cluster row in status "draft" whose specJson holds the spec as far as
// the tenant has written it (possibly incomplete or wrong: nothing typed is ever thrown away) with `@file`
// references instead of the installer configs, which are uploaded and stored sealed (InstallerFile). Its name and
// VRRP router ids are held from the moment they are chosen; deleting the draft frees them. Every check is the
// spec's own (lib/cluster-spec): each step shows the problems of its fields.

type Draft = Record<string, unknown>;

export interface WizardFile {
  key: InstallerFileKey;
  name: string;
  bytes: number;
  sha256: string;
  uploadedAt: string;
}

export interface WizardDraft {
  id: string;
  name: string;
  projectId: string;
  project: string;
  cloudId: string;
  cloud: string;
  status: string;
  /** The spec as written so far (installer configs as `@file` references). */
  draft: Draft;
  files: Partial<Record<InstallerFileKey, WizardFile>>;
  /** Every problem of the draft, by spec path. */
  errors: FieldErrors;
  /** Steps with a problem (for the step list). */
  stepsWithErrors: WizardStep[];
  vrrp: { api: number; ingress: number } | null;
}

function errorsOf(issues: SpecFieldError[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) out[issue.path] ??= issue.message;
  return out;
}

/** The errors of one step only. */
export function stepErrors(errors: FieldErrors, step: WizardStep): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => stepOfPath(path) === step));
}

async function fileTexts(db: Db, clusterId: string) {
  return loadInstallerFiles(db, clusterId);
}

/** Why a draft cannot be created yet (not a whole spec, or its kubeconfig names another API), or null. */
export async function draftNotReady(db: Db, cluster: { id: string; specJson: string }): Promise<string | null> {
  const valid = await draftAsSpec(db, cluster);
  if (!valid.ok) {
    const first = valid.errors.slice(0, 3).map((e) => `${e.path} ${e.message}`).join("; ");
    return `The draft is not complete (${first}${valid.errors.length > 3 ? "; …" : ""}): finish it in the wizard first.`;
  }
  const kubeconfig = (await fileTexts(db, cluster.id)).kubeconfig;
  const problem = kubeconfig && installerFileProblem("kubeconfig", kubeconfig, valid.spec);
  return problem ? `The draft's ${INSTALLER_FILE_NAMES.kubeconfig}: ${problem}; upload this cluster's own in the wizard first.` : null;
}

/** The draft as a whole spec, its installer configs from the uploads: what create and the review need. */
export async function draftAsSpec(db: Db, cluster: { id: string; specJson: string }, draft = parseStoredDraft(cluster.specJson)) {
  const files = await fileTexts(db, cluster.id);
  return validateClusterSpec(withInstallerConfigs(draft, { bootstrap: files.bootstrap, master: files.master }));
}

/** The draft as the spec rules see it: the stored text with the uploaded configs in place of their references. */
async function draftProblems(db: Db, clusterId: string, draft: Draft): Promise<SpecFieldError[]> {
  const files = await fileTexts(db, clusterId);
  return draftIssues(withInstallerConfigs(draft, { bootstrap: files.bootstrap, master: files.master }));
}

/** A draft the actor may see, with what the wizard shows of it; another project's is "not found". */
export async function getWizardDraft(db: Db, actor: Actor, clusterId: string): Promise<WizardDraft> {
  const cluster = await db.cluster.findFirst({
    where: { id: clusterId, projectId: projectIdFilter(actor) },
    include: { project: true, cloud: true, installerFiles: { select: { kind: true, bytes: true, sha256: true, uploadedAt: true } } },
  });
  if (!cluster) throw new NotFoundError("That cluster");
  const draft = parseStoredDraft(cluster.specJson);
  const errors = errorsOf(await draftProblems(db, cluster.id, draft));
  return {
    id: cluster.id,
    name: cluster.name,
    projectId: cluster.projectId,
    project: cluster.project.name,
    cloudId: cluster.cloudId,
    cloud: cluster.cloud.name,
    status: cluster.status,
    draft,
    files: Object.fromEntries(
      cluster.installerFiles
        .filter((f) => (INSTALLER_FILES as readonly string[]).includes(f.kind))
        .map((f) => {
          const key = f.kind as InstallerFileKey;
          return [key, { key, name: INSTALLER_FILE_NAMES[key], bytes: f.bytes, sha256: f.sha256, uploadedAt: f.uploadedAt.toISOString() }];
        }),
    ),
    errors,
    stepsWithErrors: WIZARD_STEPS.filter((step) => Object.keys(stepErrors(errors, step)).length > 0),
    vrrp: cluster.vrrpApiId !== null && cluster.vrrpIngressId !== null ? { api: cluster.vrrpApiId, ingress: cluster.vrrpIngressId } : null,
  };
}

/** The stored draft (a spec stored with its installer configs sealed inline, before the uploads, is opened). */
function parseStoredDraft(specJson: string): Draft {
  const parsed = parseJsonText(specJson);
  return parsed.ok && isRecord(parsed.value) ? (openStoredSpec(specJson) as Draft) : {};
}

// ---- Saving a step --------------------------------------------------------------------------------------------

/** Values from the form: absent, null and "" remove the field (so that "is required" shows where it was cleared). */
function mergeDraft(base: Draft, values: Draft): Draft {
  const out: Draft = { ...base };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === "") delete out[key];
    else if (isRecord(value) && isRecord(out[key])) out[key] = mergeDraft(out[key] as Draft, value);
    else if (isRecord(value)) out[key] = mergeDraft({}, value);
    else out[key] = value;
  }
  return out;
}

const NameRule = ClusterSpecInputSchema.shape.name;

export const SaveStepInput = z.object({
  clusterId: Id.optional(),
  projectId: Id,
  cloudId: Id,
  step: z.enum(WIZARD_STEPS),
  // no form of the wizard nests deeper than a few levels; deeper values would not be stored, nor read back
  values: z.record(z.string(), z.unknown()).refine((values) => !nestsTooDeep(values), `The values nest deeper than ${MAX_JSON_DEPTH} levels`),
});

/**
 * A draft's text, at most MAX_SPEC_BYTES (its installer files are stored apart): each save merges into the draft, so
 * that values added save after save would otherwise grow it without end.
 */
function draftText(draft: Draft): string {
  const text = JSON.stringify(draft);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SPEC_BYTES) {
    const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
    throw new InvalidInputError({ draft: `The draft would be ${kib(bytes)}; a cluster spec is at most ${kib(MAX_SPEC_BYTES)} without its installer files. Nothing was saved.` });
  }
  return text;
}

export interface SaveOutcome {
  clusterId: string | null;
  /** Problems of the saved step's fields (empty: the step is fine). */
  errors: FieldErrors;
}

/**
 * Saves one step's values into the draft (a new draft on the first step) and answers the step's problems. The
 * values are kept even when they are wrong: a reload or a second tab shows exactly what was typed.
 */
export async function saveWizardStep(db: Db, actor: Actor, input: z.input<typeof SaveStepInput>, deps: DraftDeps = cloudDraftDeps): Promise<SaveOutcome> {
  const { clusterId, projectId, cloudId, step, values } = parseCommand(SaveStepInput, input);
  if (!clusterId) {
    const created = await createDraft(db, actor, { projectId, cloudId, draft: mergeDraft({}, values), files: {} }, deps);
    if (!created.ok) return { clusterId: null, errors: created.errors };
    return { clusterId: created.clusterId, errors: stepErrors(created.problems, step) };
  }
  const cluster = await editableDraft(db, actor, clusterId);
  if (cloudId !== cluster.cloudId && !(await db.cloud.findFirst({ where: { id: cloudId, projectId: cluster.projectId } }))) {
    return { clusterId, errors: { cloudId: "This cloud is not registered for the project" } };
  }
  const draft = mergeDraft(parseStoredDraft(cluster.specJson), values);
  const problems = await storeDraft(db, actor, { ...cluster, cloudId }, draft, deps);
  return { clusterId, errors: stepErrors(problems, step) };
}

/** Why a name cannot be this draft's: not a DNS label, or a live cluster of the project has it. */
async function nameProblem(db: Tx, projectId: string, name: unknown, self: string | null): Promise<string | null> {
  const rule = NameRule.safeParse(name);
  if (!rule.success) return typeof name === "string" ? rule.error.issues[0].message : "is required";
  const other = await db.cluster.findFirst({ where: { projectId, name: rule.data, status: { not: "deleted" }, id: self ? { not: self } : undefined } });
  return other ? `A cluster named ${rule.data} already exists in this project` : null;
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Takes the project's row lock first in a draft's transaction: drafts of one project (name check, VRRP router ids)
 * are written one after the other, on PostgreSQL as on SQLite.
 */
async function lockProject(tx: Tx, projectId: string, newDraft: boolean): Promise<void> {
  await tx.project.update({ where: { id: projectId }, data: { clustersDrafted: { increment: newDraft ? 1 : 0 } } });
}

/** `networks.<role>.<field>` of a draft when it is a non-empty string. */
function networkField(draft: Draft, role: "public" | "cluster", field: string): string | null {
  const networks = isRecord(draft.networks) ? draft.networks : {};
  const network = isRecord(networks[role]) ? networks[role] : {};
  const value = network[field];
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

/** The VIPs whose keepalived runs on each network role, each needing a router id unique on that real network. */
const ROUTER_ID_GROUPS = [
  { role: "public", vips: ["api", "ingress"] },
  { role: "cluster", vips: ["api-int"] },
] as const;

type NetworkKey = { scope: string; networkId: string };
type DraftNetworks = { [R in "public" | "cluster"]: { name: string; key: NetworkKey } | null };

/**
 * The real networks (the cloud's Keystone URL and region, the Neutron id) behind the draft's Public network and,
 * when it has an internal API VIP, its Cluster network: asked of the cloud, unless the draft already holds router
 * ids for the same network name. A network the cloud does not have is a problem of its field.
 */
async function draftNetworks(
  db: Db,
  cluster: { id: string; specJson: string } | null,
  cloud: Cloud,
  draft: Draft,
  deps: DraftDeps,
): Promise<{ networks: DraftNetworks; problems: FieldErrors }> {
  const previous = cluster ? parseStoredDraft(cluster.specJson) : {};
  const held = cluster ? await db.vrrpRouterId.findMany({ where: { clusterId: cluster.id }, take: RESERVED_VIPS.length }) : [];
  const networks: DraftNetworks = { public: null, cluster: null };
  const problems: FieldErrors = {};
  for (const { role, vips } of ROUTER_ID_GROUPS) {
    const name = networkField(draft, role, "network");
    if (!name || (role === "cluster" && !networkField(draft, "cluster", "apiIntVip"))) continue;
    const same = held.find((row) => row.vip === vips[0]);
    if (same && same.scope === vrrpScope(cloud) && networkField(previous, role, "network") === name) {
      networks[role] = { name, key: { scope: same.scope, networkId: same.networkId } };
      continue;
    }
    const field = `networks.${role}.network`;
    try {
      const networkId = await deps.networkId(cloud, name);
      if (networkId) networks[role] = { name, key: { scope: vrrpScope(cloud), networkId } };
      else problems[field] = `The cloud has no network named ${name}`;
    } catch (error) {
      problems[field] = `Could not look the network up in the cloud: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return { networks, problems };
}

/** Keeps the draft's router ids where its networks are the same, takes new ones where they changed or were chosen. */
async function holdRouterIds(tx: Tx, cluster: { id: string; cloudId: string }, networks: DraftNetworks): Promise<void> {
  await tx.vrrpIdAllocation.deleteMany({ where: { clusterId: cluster.id } }); // ids of the per-registration era
  const held = await tx.vrrpRouterId.findMany({ where: { clusterId: cluster.id }, take: RESERVED_VIPS.length });
  for (const { role, vips } of ROUTER_ID_GROUPS) {
    const network = networks[role];
    const mine = held.filter((row) => (vips as readonly string[]).includes(row.vip));
    const same = network && mine.length === vips.length && mine.every((row) => row.scope === network.key.scope && row.networkId === network.key.networkId);
    if (same) continue;
    await tx.vrrpRouterId.deleteMany({ where: { id: { in: mine.map((row) => row.id) } } });
    if (!network) continue;
    try {
      await allocateRouterIds(tx, cluster.id, network.key, { cloudId: cluster.cloudId, publicNetwork: network.name }, vips);
    } catch (error) {
      if (error instanceof VrrpIdsExhaustedError) throw new RouterIdsExhausted(`networks.${role}.network`, error.message);
      throw error;
    }
  }
  const ids = await tx.vrrpRouterId.findMany({ where: { clusterId: cluster.id, vip: { in: ["api", "ingress"] } }, take: 2 });
  const idOf = (vip: string) => ids.find((row) => row.vip === vip)?.routerId ?? null;
  await tx.cluster.update({ where: { id: cluster.id }, data: { vrrpApiId: idOf("api"), vrrpIngressId: idOf("ingress") } });
}

class RouterIdsExhausted extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

interface DraftRow {
  id: string;
  projectId: string;
  cloudId: string;
  name: string;
  infraId: string;
  status: string;
  specJson: string;
}

/**
 * Writes the draft: its text, its name (when valid and free), its VRRP router ids on its real networks (taken when
 * the network is chosen, moved when it changes), and, when the whole spec is valid, the spec as resolved (every
 * allocated address written out, installer configs as references) and its plan. Answers all problems of the draft,
 * the name's and the networks' included.
 */
async function storeDraft(db: Db, actor: Actor, cluster: DraftRow, draft: Draft, deps: DraftDeps, known?: { networks: DraftNetworks; problems: FieldErrors }): Promise<FieldErrors> {
  const text = draftText(draft);
  const cloud = await db.cloud.findUniqueOrThrow({ where: { id: cluster.cloudId } });
  const { networks, problems: networkProblems } = known ?? (await draftNetworks(db, cluster, cloud, draft, deps));
  const problems = { ...errorsOf(await draftProblems(db, cluster.id, draft)), ...networkProblems };
  const valid = await draftAsSpec(db, cluster, draft);
  const resolved = valid.ok && Object.keys(networkProblems).length === 0 ? valid.spec : null;

  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const name = await db.$transaction(async (tx) => {
        await lockProject(tx, cluster.projectId, false);
        const badName = await nameProblem(tx, cluster.projectId, draft.name, cluster.id);
        if (badName) problems.name = badName;
        const name = badName ? cluster.name : (draft.name as string);
        const infraId = name === cluster.name ? cluster.infraId : newInfraId(name);
        await tx.cluster.update({
          where: { id: cluster.id },
          data: {
            specJson: text,
            resolvedSpecJson: resolved ? JSON.stringify({ ...resolved, installerConfigs: { ...INSTALLER_CONFIG_REFERENCES } }) : null,
            publicNetworkId: networks.public?.key.networkId ?? null,
            name,
            infraId,
            cloudId: cluster.cloudId,
          },
        });
        await holdRouterIds(tx, cluster, networks);
        // The plan a draft shows is the plan of its current text, or none while the text is not a valid spec.
        await tx.resource.deleteMany({ where: { clusterId: cluster.id, status: "planned" } });
        if (resolved) {
          const plan = planCluster(resolved, { clusterId: cluster.id, infraId });
          await tx.resource.createMany({ data: plannedResources(plan).map((r) => ({ ...r, clusterId: cluster.id })) });
        }
        await touchCluster(tx, cluster.id);
        return name;
      });
      await audit(db, { actor, action: "cluster.edit", target: `cluster ${name}`, outcome: "succeeded", detail: cluster.id, projectId: cluster.projectId });
      return problems;
    } catch (error) {
      if (error instanceof RouterIdsExhausted) return { ...problems, [error.field]: error.message };
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return { ...problems, "networks.public.network": "Could not allocate VRRP router ids (too many concurrent requests); try again" };
}

/**
 * A new draft row (its name checked under the project's lock: a draft holds its name), then its text through
 * storeDraft. `whole`: refuse, and keep nothing, unless the spec is complete and its networks are in the cloud.
 */
export async function createDraft(
  db: Db,
  actor: Actor,
  input: { projectId: string; cloudId: string; draft: Draft; files: Partial<Record<InstallerFileKey, string>>; whole?: boolean },
  deps: DraftDeps = cloudDraftDeps,
): Promise<{ ok: true; clusterId: string; problems: FieldErrors } | { ok: false; errors: FieldErrors }> {
  const { projectId, cloudId, draft } = input;
  const project = await visibleProject(db, actor, projectId, "cluster.draft");
  await allow(db, actor, "cluster.create", { projectId, label: `project ${project.name}` }, "cluster.draft");
  const text = draftText(draft);
  const cloud = await db.cloud.findFirst({ where: { id: cloudId, projectId } });
  if (!cloud) return { ok: false, errors: { cloudId: "This cloud is not registered for the project" } };
  const known = await draftNetworks(db, null, cloud, draft, deps);
  if (input.whole && Object.keys(known.problems).length > 0) return { ok: false, errors: known.problems };
  const created = await db.$transaction(async (tx) => {
    await lockProject(tx, projectId, true);
    const badName = await nameProblem(tx, projectId, draft.name, null);
    if (badName) return { badName };
    const name = draft.name as string;
    const row = await tx.cluster.create({
      data: {
        projectId,
        cloudId,
        name,
        specJson: text,
        infraId: newInfraId(name),
        vrrpSecretSealed: sealSecret(randomBytes(32).toString("hex")),
        authPassSealed: sealSecret(randomBytes(6).toString("base64url")), // 8 characters: keepalived's limit
        createdById: actor.id,
      },
    });
    await refreshOperationHealth(tx, row.id);
    return { row };
  });
  if (!created.row) return { ok: false, errors: { ...errorsOf(draftIssues(draft).filter((e) => stepOfPath(e.path) === "cluster")), name: created.badName } };
  const cluster = created.row;
  for (const [kind, text] of Object.entries(input.files) as [InstallerFileKey, string][]) await storeFile(db, cluster.id, kind, text);
  await audit(db, { actor, action: "cluster.draft", target: `cluster ${cluster.name}`, outcome: "succeeded", detail: cluster.id, projectId });
  const problems = await storeDraft(db, actor, cluster, draft, deps, known);
  if (input.whole && Object.keys(problems).length > 0) {
    await db.cluster.delete({ where: { id: cluster.id } }); // its files, router ids and plan go with it
    return { ok: false, errors: problems };
  }
  return { ok: true, clusterId: cluster.id, problems };
}

// ---- Installer files ------------------------------------------------------------------------------------------

/**
 * Why an installer file's text cannot be used, or null. A kubeconfig's server must be one of the cluster's API
 * addresses (the dashboard fetches it): checked once the spec is whole (`spec`), and again by wait-bootstrap.
 */
export function installerFileProblem(kind: InstallerFileKey, text: string, spec: ClusterSpec | null = null): string | null {
  if (kind === "bootstrap" || kind === "master") return installerConfigProblem(text);
  if (kind === "kubeconfig") {
    try {
      const { server } = parseKubeconfig(text);
      return spec && kubeApiServerProblem(server, clusterApiHosts(spec, planCluster(spec, { clusterId: "draft", infraId: "draft" })));
    } catch (error) {
      if (error instanceof KubeconfigError) return error.message;
      throw error;
    }
  }
  const password = text.trim();
  return password.length === 0 || /\s/.test(password) ? "must be the one-line password openshift-install wrote" : null;
}

async function storeFile(db: Db, clusterId: string, kind: InstallerFileKey, text: string): Promise<WizardFile> {
  const bytes = Buffer.byteLength(text, "utf8");
  const sha256 = createHash("sha256").update(text).digest("hex");
  const data = { sealed: sealSecret(text), bytes, sha256, uploadedAt: new Date() };
  await db.installerFile.upsert({ where: { clusterId_kind: { clusterId, kind } }, update: data, create: { clusterId, kind, ...data } });
  return { key: kind, name: INSTALLER_FILE_NAMES[kind], bytes, sha256, uploadedAt: data.uploadedAt.toISOString() };
}

const INSTALLER_FILE_OF_ROUTE_NAME = new Map(INSTALLER_FILES.map((key) => [installerFileRouteName(key), key]));
export const UploadParams = z.object({
  id: Id,
  file: z
    .string()
    .refine((name) => INSTALLER_FILE_OF_ROUTE_NAME.has(name), `Not an installer file: one of ${[...INSTALLER_FILE_OF_ROUTE_NAME.keys()].join(", ")}`)
    .transform((name) => INSTALLER_FILE_OF_ROUTE_NAME.get(name)!),
});

/** The upload route: one installer file streamed as the request body (16 MiB at most), validated, stored sealed. */
export async function uploadInstallerFile(
  db: Db,
  actor: Actor,
  params: z.input<typeof UploadParams>,
  request: Request,
  deps: DraftDeps = cloudDraftDeps,
): Promise<WizardFile> {
  const { id, file } = parseCommand(UploadParams, params);
  const cluster = await editableDraft(db, actor, id);
  const name = INSTALLER_FILE_NAMES[file];
  const limit = INSTALLER_FILE_LIMITS[file];
  const body = await readBounded(request.body, request.headers.get("content-length"), limit);
  if (body === "too-large") {
    const declared = Number(request.headers.get("content-length") ?? NaN);
    const size = Number.isFinite(declared) ? `${sizeText(declared)}; the limit is ${sizeText(limit)}` : `larger than the limit of ${sizeText(limit)}`;
    throw new TooLargeError(`${name} is ${size}. Nothing was stored.`);
  }
  const text = body.toString("utf8");
  const whole = await draftAsSpec(db, cluster);
  const problem = installerFileProblem(file, text, whole.ok ? whole.spec : null);
  if (problem) throw new InvalidInputError({ [`files.${file}`]: `${name} ${problem}` });
  const stored = await storeFile(db, cluster.id, file, text);
  await storeDraft(db, actor, cluster, parseStoredDraft(cluster.specJson), deps); // its plan may now be complete
  await audit(db, { actor, action: "cluster.upload", target: `cluster ${cluster.name}`, outcome: "succeeded", detail: `${name} ${stored.bytes} bytes`, projectId: cluster.projectId });
  return stored;
}

// ---- Spec as code ---------------------------------------------------------------------------------------------

export const ImportInput = z.object({
  clusterId: Id.optional(),
  projectId: Id,
  cloudId: Id,
  // what a server action takes at most (the action's own limit refuses more before this runs)
  text: z.string().min(1, "Choose or paste a spec file").max(REQUEST_BODY_LIMIT_BYTES, `The spec is larger than ${sizeText(REQUEST_BODY_LIMIT_BYTES)}`),
});

/**
 * Fills the wizard from a spec JSON: every field, wrong ones included (the steps show what is invalid). Installer
 * configs written into the spec become uploads; `@file` references wait for theirs.
 */
export async function importSpec(db: Db, actor: Actor, input: z.input<typeof ImportInput>, deps: DraftDeps = cloudDraftDeps): Promise<SaveOutcome> {
  const { clusterId, projectId, cloudId, text } = parseCommand(ImportInput, input);
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { clusterId: clusterId ?? null, errors: { specText: `The spec ${parsed.message}` } };
  if (!isRecord(parsed.value)) return { clusterId: clusterId ?? null, errors: { specText: "The spec must be a JSON object" } };
  const { installerConfigs, ...rest } = parsed.value;
  const files: Partial<Record<InstallerFileKey, string>> = {};
  const fileErrors: FieldErrors = {};
  if (isRecord(installerConfigs)) {
    for (const kind of ["bootstrap", "master"] as const) {
      const value = installerConfigs[kind];
      if (value === undefined || value === INSTALLER_CONFIG_REFERENCES[kind]) continue;
      const text = typeof value === "string" ? value : JSON.stringify(value);
      const problem = installerConfigProblem(value);
      if (problem) fileErrors[`installerConfigs.${kind}`] = problem;
      else files[kind] = text;
    }
  }
  const draft: Draft = { ...rest, installerConfigs: { ...INSTALLER_CONFIG_REFERENCES } };
  if (!clusterId) {
    const created = await createDraft(db, actor, { projectId, cloudId, draft, files }, deps);
    if (!created.ok) return { clusterId: null, errors: created.errors };
    return { clusterId: created.clusterId, errors: { ...created.problems, ...fileErrors } };
  }
  const cluster = await editableDraft(db, actor, clusterId);
  draftText(draft); // refused before its files are stored
  for (const [kind, content] of Object.entries(files) as [InstallerFileKey, string][]) await storeFile(db, cluster.id, kind, content);
  return { clusterId, errors: { ...(await storeDraft(db, actor, cluster, draft, deps)), ...fileErrors } };
}

/** A draft's or cluster's spec, secrets left out, as a file to download (the same text drives ignition:generate). */
export async function exportSpec(db: Db, actor: Actor, params: { id: string }): Promise<Response> {
  const { id } = parseCommand(z.object({ id: Id }), params);
  const cluster = await db.cluster.findFirst({ where: { id, projectId: projectIdFilter(actor) }, select: { name: true, specJson: true } });
  if (!cluster) throw new NotFoundError("That cluster");
  return new Response(exportSpecText(parseStoredDraft(cluster.specJson)), {
    headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${cluster.name}.json"` },
  });
}

// ---- Draft lifecycle: clone, delete, back to editing ----------------------------------------------------------

export const DraftCommandInput = z.object({ clusterId: Id });

/** "New cluster like this": a new draft with the same spec and installer files under the next free name. */
export async function cloneCluster(db: Db, actor: Actor, input: z.input<typeof DraftCommandInput>, deps: DraftDeps = cloudDraftDeps): Promise<{ clusterId: string }> {
  const { clusterId } = parseCommand(DraftCommandInput, input);
  const { cluster: source } = await visibleCluster(db, actor, clusterId, "cluster.clone");
  const files = await fileTexts(db, source.id);
  let name = "";
  for (let n = 2; n < 100 && !name; n++) {
    const candidate = `${source.name.slice(0, 27 - String(n).length - 1)}-${n}`;
    if (!(await nameProblem(db, source.projectId, candidate, null))) name = candidate;
  }
  const draft = { ...parseStoredDraft(source.specJson), name };
  const created = await createDraft(db, actor, { projectId: source.projectId, cloudId: source.cloudId, draft, files }, deps);
  if (!created.ok) throw new InvalidInputError(created.errors);
  await audit(db, { actor, action: "cluster.clone", target: `cluster ${source.name}`, outcome: "succeeded", detail: created.clusterId, projectId: source.projectId });
  return { clusterId: created.clusterId };
}
