import { z } from "zod";
import { readRows, type Db } from "@/lib/db";
import { dateOf } from "@/lib/db-values";
import { Prisma } from "@/lib/generated/prisma/client";
import { audit } from "@/lib/audit";
import { can, projectIdFilter, type Actor } from "@/lib/auth/policy";
import { RESOURCE_KIND_LABELS, type ResourceKind } from "@/lib/domain";
import { cloudSession, DEFAULT_TUNING } from "@/lib/lifecycle/context";
import { DRIFT_LABELS, reconcileCloud, sweepOrphans, type DriftKind } from "@/lib/lifecycle/reconcile";
import { ForbiddenError, NotFoundError, parseCommand } from "./errors";
import { inScope } from "./sql";

// Drift and orphans as the reconciler last saw them (lib/lifecycle/reconcile.ts): a read model for the cluster page
// and oversight, a "check now", and the lead's sweep of orphans (the teardown's converging reapers, audited).

export interface DriftRow {
  id: string;
  cloud: string;
  cloudId: string;
  cluster: string | null;
  kind: DriftKind;
  kindLabel: string;
  resource: string;
  name: string;
  openstackId: string | null;
  detail: string;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Seconds since the reconciler first saw it. */
  ageSeconds: number;
}

export interface DriftView {
  rows: DriftRow[];
  /** The clouds the rows come from, with whether the actor may sweep their orphans. */
  clouds: { id: string; name: string; project: string; canSweep: boolean; orphans: number }[];
}

/** A finding with its cluster's name; dates as the driver gives them (lib/db.ts readRows). */
interface FindingRow {
  id: string;
  cloudId: string;
  cluster: string | null;
  kind: string;
  resourceKind: string;
  name: string;
  openstackId: string | null;
  detail: string;
  firstSeenAt: Date | string;
  lastSeenAt: Date | string;
}

/** The oldest findings first; a page of them (a cloud that drifted that far needs a sweep, not a longer list). */
const FINDINGS_SHOWN = 200;

/** The findings matching `where` (on the finding `f`), raw SQL past Prisma's query compiler: oversight reads them on every reload. */
function loadFindings(db: Db, where: Prisma.Sql) {
  return readRows<FindingRow>(
    db,
    Prisma.sql`
      SELECT f."id", f."cloudId", k."name" AS "cluster", f."kind", f."resourceKind", f."name", f."openstackId", f."detail", f."firstSeenAt", f."lastSeenAt"
      FROM "DriftFinding" f LEFT JOIN "Cluster" k ON k."id" = f."clusterId"
      WHERE ${where}
      ORDER BY f."firstSeenAt" ASC, f."name" ASC
      LIMIT ${FINDINGS_SHOWN}`,
  );
}

const toRow = (now: Date, clouds: Map<string, string>) => (f: FindingRow): DriftRow => ({
  id: f.id,
  cloud: clouds.get(f.cloudId) ?? f.cloudId,
  cloudId: f.cloudId,
  cluster: f.cluster,
  kind: f.kind as DriftKind,
  kindLabel: DRIFT_LABELS[f.kind as DriftKind] ?? f.kind,
  resource: RESOURCE_KIND_LABELS[f.resourceKind as ResourceKind] ?? f.resourceKind,
  name: f.name,
  openstackId: f.openstackId,
  detail: f.detail,
  firstSeenAt: dateOf(f.firstSeenAt).toISOString(),
  lastSeenAt: dateOf(f.lastSeenAt).toISOString(),
  ageSeconds: Math.max(0, Math.round((now.getTime() - dateOf(f.firstSeenAt).getTime()) / 1000)),
});

/** The drift of one cluster (its page's read model scopes it to what the actor may see). */
export async function clusterDriftRows(db: Db, clusterId: string, cloudName: string, now = new Date()): Promise<DriftRow[]> {
  const rows = await loadFindings(db, Prisma.sql`f."clusterId" = ${clusterId}`);
  return rows.map(toRow(now, new Map(rows.map((r) => [r.cloudId, cloudName]))));
}

/** Drift and orphans of every cloud of the projects the actor leads (all for an admin). */
export async function getDriftOversight(db: Db, actor: Actor, now = new Date()): Promise<DriftView> {
  if (!can(actor, "oversight.read")) throw new ForbiddenError();
  const clouds = await readRows<{ id: string; name: string; projectId: string; project: string }>(
    db,
    Prisma.sql`
      SELECT cl."id", cl."name", cl."projectId", p."name" AS "project" FROM "Cloud" cl JOIN "Project" p ON p."id" = cl."projectId"
      WHERE ${inScope(projectIdFilter(actor, "lead"), Prisma.sql`cl."projectId"`)}
      ORDER BY cl."name" ASC, cl."id" ASC
      LIMIT 100`,
  );
  const rows = (await loadFindings(db, inScope({ in: clouds.map((c) => c.id) }, Prisma.sql`f."cloudId"`))).map(toRow(now, new Map(clouds.map((c) => [c.id, c.name]))));
  return {
    rows,
    clouds: clouds.map((c) => ({
      id: c.id,
      name: c.name,
      project: c.project,
      canSweep: can(actor, "cluster.approve", { projectId: c.projectId }),
      orphans: rows.filter((r) => r.cloudId === c.id && r.kind === "orphan").length,
    })),
  };
}

export const CloudCommandInput = z.object({ cloudId: z.string().min(1, "An id is required").max(64, "Not an id") });

/** The cloud, if the actor sees its project; another project's is "not found" (audited), as a missing one. */
async function visibleCloud(db: Db, actor: Actor, cloudId: string, action: string) {
  const cloud = await db.cloud.findUnique({ where: { id: cloudId } });
  if (!cloud) throw new NotFoundError("That cloud");
  if (!can(actor, "cluster.read", { projectId: cloud.projectId })) {
    await audit(db, { actor, action, target: `cloud ${cloud.name}`, outcome: "denied", projectId: cloud.projectId });
    throw new NotFoundError("That cloud");
  }
  return cloud;
}

/** A reconcile cycle of the cloud now (anyone who sees its project may ask); audited, as it rewrites the findings. */
export async function reconcileNow(db: Db, actor: Actor, input: z.input<typeof CloudCommandInput>): Promise<{ findings: number }> {
  const { cloudId } = parseCommand(CloudCommandInput, input);
  const cloud = await visibleCloud(db, actor, cloudId, "drift.reconcile");
  const target = `cloud ${cloud.name}`;
  try {
    const findings = (await reconcileCloud(db, cloud.id, cloudSession(cloud))).length;
    await audit(db, { actor, action: "drift.reconcile", target, outcome: "succeeded", projectId: cloud.projectId, detail: `${findings} finding${findings === 1 ? "" : "s"}` });
    return { findings };
  } catch (error) {
    await audit(db, { actor, action: "drift.reconcile", target, outcome: "failed", projectId: cloud.projectId, detail: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/**
 * Deletes the cloud's orphans as a fresh reconcile sees them — only those — with the teardown's converging reapers.
 * Leads of the cloud's project and admins only; every deletion is audited.
 */
export async function sweepCloudOrphans(db: Db, actor: Actor, input: z.input<typeof CloudCommandInput>, signal: AbortSignal = new AbortController().signal): Promise<{ deleted: number }> {
  const { cloudId } = parseCommand(CloudCommandInput, input);
  const cloud = await visibleCloud(db, actor, cloudId, "drift.sweep");
  const target = `cloud ${cloud.name}`;
  if (!can(actor, "cluster.approve", { projectId: cloud.projectId })) {
    await audit(db, { actor, action: "drift.sweep", target, outcome: "denied", projectId: cloud.projectId });
    throw new ForbiddenError("Only a lead of the project may sweep its orphans.");
  }
  const session = cloudSession(cloud);
  const orphans = (await reconcileCloud(db, cloud.id, session)).filter((f) => f.kind === "orphan");
  try {
    const deleted = await sweepOrphans(session, orphans, { signal, concurrency: DEFAULT_TUNING.callConcurrency, boundMs: DEFAULT_TUNING.convergeBoundMs, delayMs: DEFAULT_TUNING.convergeDelayMs });
    await audit(db, { actor, action: "drift.sweep", target, outcome: "succeeded", projectId: cloud.projectId, detail: deleted.map((d) => `${d.kind} ${d.name} (${d.id})`).join(", ") || "nothing to delete" });
    await reconcileCloud(db, cloud.id, session);
    return { deleted: deleted.length };
  } catch (error) {
    await audit(db, { actor, action: "drift.sweep", target, outcome: "failed", projectId: cloud.projectId, detail: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}
