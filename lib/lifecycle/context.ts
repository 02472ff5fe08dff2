import type { Db } from "@/lib/db";
import { openSecret } from "@/lib/crypto/seal";
import type { RenderInput } from "@/lib/ignition";
import { storedCloudSession, type StoredCloud } from "@/lib/openstack/keystone/credentials";
import { createSession, type RequestEvent, type Session, type SessionOptions } from "@/lib/openstack/client";
import { planCluster, plannedNames, type ClusterPlan } from "@/lib/plan";
import { EMPTY_IGNITION_CONFIG, validateClusterSpec, withInstallerConfigs, type ClusterSpec } from "@/lib/cluster-spec";
import { openStoredSpec } from "@/lib/cluster-spec/sealed";
import { loadInstallerFiles } from "./installer-files";
import { TerminalError } from "./engine";
import { prismaLedger, type ResourceLedger } from "./resources";
import { prismaClusterStore, routerIdNetworks, type ClusterStore } from "./store";

/** Everything a step needs: the cluster's spec and plan, a cloud session, the ledger and store, and tuning. */
export interface ClusterContext {
  clusterId: string;
  infraId: string;
  spec: ClusterSpec;
  plan: ClusterPlan;
  /** The plan's exact resource names (what a step may adopt when a create died before tagging). */
  plannedNames: Set<string>;
  /** The render input but the port MACs, which the ports step records (portMacs in steps/create.ts). */
  render: Omit<RenderInput, "macs">;
  kubeconfig: string | undefined;
  session: Session;
  ledger: ResourceLedger;
  store: ClusterStore;
  /** Routes the session's request events to the running step's API-call counter. */
  onCall: { current: ((event: RequestEvent) => void) | undefined };
  tuning: LifecycleTuning;
}

export interface LifecycleTuning {
  /** Create and delete calls of one step in flight at once (1 = the playbooks' one call at a time). */
  callConcurrency: number;
  /** How long a step resumed after a crash waits for the dead run's requests before it looks around. */
  settleMs: number;
  /** How long a temp URL for the bootstrap config lives (boot + Ignition retries, not more). */
  tempUrlTtlSeconds: number;
  serverWaitMs: number;
  pollMs: number;
  /** Pause between rounds of the bootstrap-complete endpoints, and between looks for an operator's mark. */
  bootstrapPollMs: number;
  /** Ask the nodes' addresses and the VIPs before the kubeconfig's server (off where they are not reachable). */
  bootstrapViaNodes: boolean;
  /** Teardown: time bound of one converge loop and its backoff. */
  convergeBoundMs: number;
  convergeDelayMs: number;
}

export const DEFAULT_TUNING: LifecycleTuning = {
  callConcurrency: 6,
  settleMs: 10_000,
  tempUrlTtlSeconds: 4 * 3600,
  serverWaitMs: 15 * 60_000,
  pollMs: 2_000,
  bootstrapPollMs: 10_000,
  bootstrapViaNodes: true,
  convergeBoundMs: 10 * 60_000,
  convergeDelayMs: 2_000,
};

export interface ContextOptions {
  ingestUrl: string;
  tuning?: Partial<LifecycleTuning>;
  /** Session tuning for tests (retry policy, timeouts). */
  sessionOverrides?: Partial<SessionOptions>;
  /** Sees every OpenStack request of every cluster (the worker counts them for /api/metrics). */
  onRequest?: (event: RequestEvent) => void;
}

/** A session on a registered cloud (its credentials opened from their seal). */
export function cloudSession(cloud: StoredCloud, extra: Partial<Parameters<typeof createSession>[0]> = {}): Session {
  return createSession({ ...storedCloudSession(cloud), ...extra });
}

/** The installer configs of a cluster, where a spec holds only references to them (the uploads, sealed). */
type InstallerConfigTexts = { bootstrap?: string; master?: string };

/**
 * The spec every run plans from: the one resolved at draft time (IPs written out), else the raw one re-resolved,
 * with its installer configs from the sealed uploads (a spec stored with its configs inline, sealed or from before
 * sealing, keeps them). Without `files` the spec is only planned (names, addresses, never rendered), and the plan
 * does not read the configs: empty Ignition configs stand in for them.
 */
export function storedSpec(cluster: { specJson: string; resolvedSpecJson: string | null }, files?: InstallerConfigTexts): ClusterSpec {
  const configs = files ?? { bootstrap: EMPTY_IGNITION_CONFIG, master: EMPTY_IGNITION_CONFIG };
  const parsed = validateClusterSpec(withInstallerConfigs(openStoredSpec(cluster.resolvedSpecJson ?? cluster.specJson), configs));
  if (!parsed.ok) {
    throw new TerminalError(`the stored spec is no longer valid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`, Object.fromEntries(parsed.errors.map((e) => [e.path, e.message])));
  }
  return parsed.spec;
}

/** A cluster row with what the Ignition templates need: its VRRP allocation and sealed secrets. */
export interface RenderableCluster {
  id: string;
  infraId: string;
  vrrpApiId: number | null;
  vrrpIngressId: number | null;
  authPassSealed: string | null;
  vrrpSecretSealed: string | null;
  vrrpIds: { vip: string; routerId: number }[];
  vrrpRouterIds: { vip: string; routerId: number }[];
}

/** What the Ignition templates see for a cluster but the port MACs: its spec, VRRP ids and the sealed secrets opened. */
export function renderInputOf(cluster: RenderableCluster, spec: ClusterSpec, ingestUrl: string): Omit<RenderInput, "macs"> {
  if (cluster.vrrpApiId === null || cluster.vrrpIngressId === null || !cluster.vrrpSecretSealed || !cluster.authPassSealed) {
    throw new TerminalError("the cluster has no VRRP allocation; it was not created through Tripod");
  }
  const allocations = [...cluster.vrrpRouterIds, ...cluster.vrrpIds];
  return {
    spec,
    infraId: cluster.infraId,
    vrrp: {
      apiId: cluster.vrrpApiId,
      ingressId: cluster.vrrpIngressId,
      apiIntId: allocations.find((a) => a.vip === "api-int")?.routerId,
      authPass: openSecret(cluster.authPassSealed),
    },
    vipAgent: { ingestUrl, secret: openSecret(cluster.vrrpSecretSealed), clusterId: cluster.id },
  };
}

export async function buildClusterContext(db: Db, clusterId: string, options: ContextOptions): Promise<ClusterContext> {
  const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId }, include: { cloud: true, vrrpIds: true, vrrpRouterIds: true } });
  const files = await loadInstallerFiles(db, clusterId);
  const spec = storedSpec(cluster, files);
  const onCall: ClusterContext["onCall"] = { current: undefined };
  const session = cloudSession(cluster.cloud, {
    onRequest: (event) => {
      options.onRequest?.(event);
      onCall.current?.(event);
    },
    ...options.sessionOverrides,
  });
  const plan = planCluster(spec, { clusterId, infraId: cluster.infraId });
  return {
    clusterId,
    infraId: cluster.infraId,
    spec,
    plan,
    plannedNames: plannedNames(plan),
    render: renderInputOf(cluster, spec, options.ingestUrl),
    kubeconfig: files.kubeconfig ?? (cluster.kubeconfigSealed ? openSecret(cluster.kubeconfigSealed) : undefined),
    session,
    ledger: prismaLedger(db, clusterId),
    // Router ids per network: this cluster's rows say which real network (cloud + Neutron id) each spec network is.
    store: prismaClusterStore(db, { id: clusterId, cloudId: cluster.cloudId, networks: routerIdNetworks(spec, cluster.vrrpRouterIds) }),
    onCall,
    tuning: { ...DEFAULT_TUNING, ...options.tuning },
  };
}
