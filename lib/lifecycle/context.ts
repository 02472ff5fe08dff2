import type { Db } from "@/lib/db";
import { openSecret } from "@/lib/crypto/seal";
import type { RenderInput } from "@/lib/ignition";
import { storedCloudSession } from "@/lib/openstack/keystone/credentials";
import { createSession, type RequestEvent, type Session } from "@/lib/openstack/client";
import { planCluster, type ClusterPlan } from "@/lib/plan";
import { validateClusterSpec, type ClusterSpec } from "@/lib/cluster-spec";
import { openStoredSpec } from "@/lib/cluster-spec/sealed";
import { TerminalError } from "./engine";
import { prismaLedger, type ResourceLedger } from "./resources";
import { prismaClusterStore, type ClusterStore } from "./store";

/** Everything a step needs: the cluster's spec and plan, a cloud session, the ledger and store, and tuning. */
export interface ClusterContext {
  clusterId: string;
  infraId: string;
  spec: ClusterSpec;
  plan: ClusterPlan;
  render: RenderInput;
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
  bootstrapPollMs: number;
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
  convergeBoundMs: 10 * 60_000,
  convergeDelayMs: 2_000,
};

export interface ContextOptions {
  ingestUrl: string;
  tuning?: Partial<LifecycleTuning>;
  /** Session tuning for tests (retry policy, timeouts). */
  sessionOverrides?: Partial<Parameters<typeof createSession>[0]>;
  /** Sees every OpenStack request of every cluster (the worker counts them for /api/metrics). */
  onRequest?: (event: RequestEvent) => void;
}

export async function buildClusterContext(db: Db, clusterId: string, options: ContextOptions): Promise<ClusterContext> {
  const cluster = await db.cluster.findUniqueOrThrow({ where: { id: clusterId }, include: { cloud: true } });
  const parsed = validateClusterSpec(openStoredSpec(cluster.specJson));
  if (!parsed.ok) throw new TerminalError(`the stored spec is no longer valid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  if (cluster.vrrpApiId === null || cluster.vrrpIngressId === null || !cluster.vrrpSecretSealed || !cluster.authPassSealed) {
    throw new TerminalError("the cluster has no VRRP allocation; it was not created through Tripod");
  }
  const spec = parsed.spec;
  const onCall: ClusterContext["onCall"] = { current: undefined };
  const session = createSession({
    ...storedCloudSession(cluster.cloud),
    onRequest: (event) => {
      options.onRequest?.(event);
      onCall.current?.(event);
    },
    ...options.sessionOverrides,
  });
  return {
    clusterId,
    infraId: cluster.infraId,
    spec,
    plan: planCluster(spec, { clusterId, infraId: cluster.infraId }),
    render: {
      spec,
      infraId: cluster.infraId,
      vrrp: { apiId: cluster.vrrpApiId, ingressId: cluster.vrrpIngressId, authPass: openSecret(cluster.authPassSealed) },
      vipAgent: { ingestUrl: options.ingestUrl, secret: openSecret(cluster.vrrpSecretSealed), clusterId },
    },
    kubeconfig: cluster.kubeconfigSealed ? openSecret(cluster.kubeconfigSealed) : undefined,
    session,
    ledger: prismaLedger(db, clusterId),
    store: prismaClusterStore(db, { id: clusterId, cloudId: cluster.cloudId, publicNetwork: spec.networks.public.network }),
    onCall,
    tuning: { ...DEFAULT_TUNING, ...options.tuning },
  };
}
