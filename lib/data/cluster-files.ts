import { z } from "zod";
import type { Db } from "@/lib/db";
import { audit } from "@/lib/audit";
import { can, type Action, type Actor } from "@/lib/auth/policy";
import { openSecret } from "@/lib/crypto/seal";
import { NODE_NAMES, type NodeName } from "@/lib/domain";
import { renderNodeConfig, serializeConfig, type IgnitionConfig, type RenderInput } from "@/lib/ignition";
import { renderInputOf, storedSpec } from "@/lib/lifecycle/context";
import { loadInstallerFiles } from "@/lib/lifecycle/installer-files";
import { PortMacs, withPortMacs } from "@/lib/lifecycle/steps/ignition";
import * as servers from "@/lib/openstack/nova/servers/requests";
import { ingestUrlFromEnv } from "@/lib/vip/ingest-url";
import { ansibleInventory } from "./ansible-inventory";
import { clusterCloudSession, getClusterCloud, storedPlan } from "./cluster-cloud";
import { ForbiddenError, NotFoundError, parseCommand } from "./errors";
import type { Download } from "./http";

// What a tenant takes out of Tripod: the installer's kubeconfig and kubeadmin password, every node's Ignition
// (secrets redacted for members, in full for leads), an Ansible inventory of what exists, each server's console log
// and the operations' step and event log. Every download is authorized by the policy and written to the audit log;
// another project's cluster answers "not found", as a missing one does.

export const CLUSTER_FILES = ["kubeconfig", "kubeadmin-password", "ignition", "inventory", "console", "log"] as const;
export type ClusterFile = (typeof CLUSTER_FILES)[number];

const FileRequest = z.object({
  id: z.string().min(1).max(64),
  file: z.enum(CLUSTER_FILES, { error: `Unknown file; one of ${CLUSTER_FILES.join(", ")}` }),
  node: z.enum(NODE_NAMES).optional(),
  full: z.boolean().default(false),
});

const REDACTED = "data:,REDACTED";

/** Ignition with every file's contents, every merged/replaced config and every password hash taken out. */
export function redactIgnition(config: IgnitionConfig): IgnitionConfig {
  const copy = structuredClone(config) as IgnitionConfig & Record<string, unknown>;
  const redactSource = (o: { source?: string | null } | undefined) => {
    if (o?.source) o.source = REDACTED;
  };
  const storage = copy.storage as { files?: { contents?: { source?: string | null } }[] } | undefined;
  for (const f of storage?.files ?? []) redactSource(f.contents);
  const ign = copy.ignition as { config?: { merge?: { source?: string }[]; replace?: { source?: string } } } | undefined;
  for (const m of ign?.config?.merge ?? []) redactSource(m);
  redactSource(ign?.config?.replace);
  const passwd = copy.passwd as { users?: { passwordHash?: string }[] } | undefined;
  for (const u of passwd?.users ?? []) if (u.passwordHash) u.passwordHash = "REDACTED";
  return copy;
}

/**
 * What the worker rendered the nodes' configs from: the cluster's render input and the port MACs its create's ports
 * step recorded (the NIC configs match each port by MAC, so there are no configs before the ports exist).
 */
async function renderInputWithMacs(db: Db, cluster: LoadedCluster, files: InstallerTexts): Promise<RenderInput> {
  const ports = await db.step.findFirst({
    where: { name: "ports", status: "succeeded", operation: { clusterId: cluster.id, kind: "create" } },
    orderBy: { finishedAt: "desc" },
    select: { outputsJson: true },
  });
  const macs = PortMacs.safeParse(ports?.outputsJson ? JSON.parse(ports.outputsJson) : null);
  if (!macs.success) throw new NotFoundError("The Ignition configs of this cluster (they exist once its ports do: each NIC config names its port's MAC)");
  if (cluster.vrrpApiId === null || cluster.vrrpIngressId === null) throw new NotFoundError("The Ignition configs of this cluster (it has no VRRP allocation)");
  return withPortMacs(renderInputOf(cluster, storedSpec(cluster, files), ingestUrlFromEnv()), macs.data);
}

async function clusterFor(db: Db, actor: Actor, id: string, file: string, action: Action) {
  const cluster = await db.cluster.findUnique({ where: { id }, include: { cloud: true, vrrpIds: true, vrrpRouterIds: true } });
  const what = cluster ? `cluster ${cluster.name}` : `cluster ${id}`;
  if (!cluster || !can(actor, "cluster.read", { projectId: cluster.projectId })) {
    if (cluster) await audit(db, { actor, action: "cluster.download", target: what, outcome: "denied", detail: file, projectId: cluster.projectId });
    throw new NotFoundError("That cluster");
  }
  if (!can(actor, action, { projectId: cluster.projectId, createdById: cluster.createdById })) {
    await audit(db, { actor, action: "cluster.download", target: what, outcome: "denied", detail: file, projectId: cluster.projectId });
    throw new ForbiddenError(action === "cluster.ignition" ? "Only a lead of the project may download the full Ignition configs; members get the redacted preview." : undefined);
  }
  return cluster;
}

const text = (filename: string, body: string, contentType = "text/plain"): Download => ({ filename, body, contentType });
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : "-");

export async function downloadClusterFile(db: Db, actor: Actor, params: { id: string; file: string }, request: Request): Promise<Download> {
  const query = new URL(request.url).searchParams;
  const { id, file, node, full } = parseCommand(FileRequest, { ...params, node: query.get("node") ?? undefined, full: query.get("full") === "1" });
  const cluster = await clusterFor(db, actor, id, `${file}${node ? ` ${node}` : ""}${full ? " full" : ""}`, file === "ignition" && full ? "cluster.ignition" : "cluster.download");
  const result = await produce(db, actor, cluster, file, node, full);
  await audit(db, { actor, action: "cluster.download", target: `cluster ${cluster.name}`, outcome: "succeeded", detail: `${result.filename} (${result.body.length} bytes)`, projectId: cluster.projectId });
  return result;
}

type LoadedCluster = Awaited<ReturnType<typeof clusterFor>>;

function requireNode(node: NodeName | undefined): NodeName {
  if (!node) throw new NotFoundError("That node (add ?node=bootstrap, master-0, master-1 or master-2)");
  return node;
}

type InstallerTexts = Awaited<ReturnType<typeof loadInstallerFiles>>;

async function produce(db: Db, actor: Actor, cluster: LoadedCluster, file: ClusterFile, node: NodeName | undefined, full: boolean): Promise<Download> {
  switch (file) {
    case "kubeconfig": {
      // The upload; a cluster drafted before installer files were uploads has it in its own column.
      const kubeconfig = (await loadInstallerFiles(db, cluster.id, ["kubeconfig"])).kubeconfig ?? (cluster.kubeconfigSealed ? openSecret(cluster.kubeconfigSealed) : undefined);
      if (!kubeconfig) throw new NotFoundError("The installer kubeconfig of this cluster (none was given)");
      return text(`${cluster.name}-kubeconfig`, kubeconfig, "application/yaml");
    }
    case "kubeadmin-password": {
      const password = (await loadInstallerFiles(db, cluster.id, ["kubeadminPassword"])).kubeadminPassword;
      if (!password) throw new NotFoundError("The kubeadmin password of this cluster (none was given)");
      return text(`${cluster.name}-kubeadmin-password`, password.trim());
    }
    case "ignition": {
      const n = requireNode(node);
      const config = renderNodeConfig(await renderInputWithMacs(db, cluster, await loadInstallerFiles(db, cluster.id)), n);
      return full
        ? text(`${cluster.infraId}-${n}.ign`, serializeConfig(config), "application/vnd.coreos.ignition+json")
        : text(`${cluster.infraId}-${n}.redacted.ign.json`, JSON.stringify(redactIgnition(config), null, 2), "application/json");
    }
    case "inventory": {
      const { spec, plan } = storedPlan(cluster);
      const cloud = await getClusterCloud(db, actor, cluster.id);
      return text(`${cluster.name}-inventory.yaml`, ansibleInventory(cluster, spec, plan, cloud), "application/yaml");
    }
    case "console": {
      const n = requireNode(node);
      const server = await db.resource.findFirst({ where: { clusterId: cluster.id, kind: "server", node: n, status: "present" } });
      if (!server?.openstackId) throw new NotFoundError(`The server of ${n}`);
      const output = await servers.consoleOutput(clusterCloudSession(cluster.cloudId, cluster.cloud), server.openstackId, { length: 2000 });
      return text(`${server.name}-console.log`, output);
    }
    case "log":
      return text(`${cluster.name}-operations.log`, await operationLog(db, cluster.id));
  }
}

const LOG_MAX_OPERATIONS = 1_000;
const LOG_MAX_EVENTS = 20_000;

/** Every operation's steps, then the events (the newest 20,000 at most), oldest first: what a support ticket needs. */
export async function operationLog(db: Db, clusterId: string): Promise<string> {
  const [operations, events] = await Promise.all([
    db.operation.findMany({ where: { clusterId }, orderBy: { createdAt: "asc" }, include: { steps: { orderBy: { position: "asc" } }, requestedBy: true, approvedBy: true }, take: LOG_MAX_OPERATIONS }),
    db.event.findMany({ where: { clusterId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: LOG_MAX_EVENTS }),
  ]);
  const lines: string[] = [];
  for (const op of operations) {
    lines.push(`operation ${op.id} ${op.kind} ${op.status} requested by ${op.requestedBy.username}${op.approvedBy ? `, approved by ${op.approvedBy.username}` : ""} at ${iso(op.createdAt)}, finished ${iso(op.finishedAt)}${op.error ? `: ${op.error}` : ""}`);
    for (const s of op.steps) lines.push(`  step ${s.name} ${s.status} attempt ${s.attempt} api-calls ${s.apiCalls} started ${iso(s.startedAt)} finished ${iso(s.finishedAt)}${s.error ? `: ${s.error}` : ""}`);
  }
  lines.push("", events.length === LOG_MAX_EVENTS ? `events (the newest ${LOG_MAX_EVENTS}):` : "events:");
  for (const e of events.reverse()) lines.push(`${iso(e.at)} ${e.level.padEnd(7)} ${(e.step ?? "-").padEnd(24)} ${e.message}`);
  return `${lines.join("\n")}\n`;
}
