import { sleep } from "@/lib/util/sleep";
import { isConflict, isNotFound } from "@/lib/openstack/errors";
import * as ports from "@/lib/openstack/neutron/ports/requests";
import * as securityGroups from "@/lib/openstack/neutron/security-groups/requests";
import * as serverGroups from "@/lib/openstack/nova/server-groups/requests";
import * as servers from "@/lib/openstack/nova/servers/requests";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import type { ResourceKind } from "@/lib/domain";
import { pollUntil } from "@/lib/openstack/poll";
import type { Session } from "@/lib/openstack/client";
import type { ClusterContext } from "../context";
import type { StepIo } from "../engine";
import { clusterStep, isOurs, mapLimit } from "./common";

// Teardown in the fewest calls: each step deletes what the ledger recorded as present — a DELETE answers for itself
// (404 = already gone), so no listing is needed to find it — and lists its kind once only when the ledger cannot vouch
// for it (a row still "planned": a create may have died between its POST and the record). Servers go asynchronously:
// one listing per poll (the cluster's servers, see isOurs) waits for all of them and shows any the ledger does not know,
// which are deleted too. A delete refused with 409 (still in use) hands the step to `converge`. The last step,
// verify-empty, converges over every kind: each reaper lists what of the cluster is still there (by tag, metadata, or
// one of the plan's exact names with no other cluster's mark — a create that died before its tag PUT leaves an
// untagged resource; never by name prefix, see isOurs), deletes it, and
// lists again until a pass finds nothing or the bound is reached. Passes are stateless: after a crash the next run
// simply lists again. Deletes go `callConcurrency` at a time (Neutron has no bulk delete).

const MINUTE = 60_000;

export interface Found {
  id: string;
  name: string;
  /** Servers only: Nova is deleting it already (task state "deleting"), so a DELETE took effect. */
  deleting?: boolean;
}

export interface Reaper {
  kind: ResourceKind;
  /** The ledger kind of one found resource, when it differs from `kind` (VIP reservation ports). */
  ledgerKind?(found: Found): ResourceKind;
  list(): Promise<Found[]>;
  /** 404 counts as done; 409 (still in use, or a server already being deleted) is thrown. */
  remove(found: Found): Promise<unknown>;
}

type Scope = { ctx: ClusterContext; signal: AbortSignal };

const clusterTag = (ctx: ClusterContext) => ctx.plan.tags[0];

async function tolerateConflict(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

function serverReaper({ ctx, signal }: Scope, which: "bootstrap" | "masters" | "all"): Reaper {
  const bootstrapName = ctx.plan.servers.find((s) => s.node === "bootstrap")!.name;
  return {
    kind: "server",
    async list() {
      const all = await servers.list(ctx.session, {}, { signal });
      return all
        .filter((s) => isOurs(ctx, s))
        .filter((s) => which === "all" || (which === "bootstrap") === (s.name === bootstrapName))
        .map((s) => ({ id: s.id, name: s.name, deleting: s.taskState === "deleting" }));
    },
    remove: (s) => servers.remove(ctx.session, s.id, { signal }),
  };
}

function serverGroupReaper({ ctx, signal }: Scope): Reaper {
  return {
    kind: "server-group",
    list: async () => (await serverGroups.list(ctx.session, { signal })).filter((g) => isOurs(ctx, g)),
    remove: (g) => serverGroups.remove(ctx.session, g.id, { signal }),
  };
}

function portReaper({ ctx, signal }: Scope, which: "bootstrap" | "all"): Reaper {
  const bootstrapPorts = new Set(ctx.plan.ports.filter((p) => p.node === "bootstrap").map((p) => p.name));
  const vipPorts = new Set(ctx.plan.ports.filter((p) => !p.node).map((p) => p.name));
  return {
    kind: "port",
    ledgerKind: (p) => (vipPorts.has(p.name) ? "vip-port" : "port"),
    list: async () => (await ports.list(ctx.session, {}, { signal })).filter((p) => isOurs(ctx, p) && (which === "all" || bootstrapPorts.has(p.name))),
    remove: (p) => ports.remove(ctx.session, p.id, { signal }),
  };
}

// Ports are deleted before security groups: a group still used by a port answers 409 and goes in a later pass.
function securityGroupReaper({ ctx, signal }: Scope): Reaper {
  return {
    kind: "security-group",
    list: async () => (await securityGroups.list(ctx.session, {}, { signal })).filter((g) => isOurs(ctx, g)),
    remove: (group) => securityGroups.remove(ctx.session, group.id, { signal }),
  };
}

function swiftReaper({ ctx, signal }: Scope, which: "object" | "all"): Reaper {
  const { container, object } = ctx.plan.swift;
  const call = { signal };
  return {
    kind: which === "object" ? "swift-object" : "swift-container",
    async list() {
      try {
        const listed = await containers.listObjects(ctx.session, container, {}, call);
        const objs = listed.filter((o) => which === "all" || o.name === object).map((o) => ({ id: `${container}/${o.name}`, name: `${container}/${o.name}` }));
        return which === "all" ? [...objs, { id: container, name: container }] : objs;
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
    },
    remove: (found) =>
      found.id === container ? containers.remove(ctx.session, container, call) : objects.remove(ctx.session, container, found.id.slice(container.length + 1), call),
  };
}

export interface ConvergeOptions {
  signal: AbortSignal;
  concurrency: number;
  boundMs: number;
  delayMs: number;
  /** Once per resource deleted (the ledger records it; a sweep audits it). */
  onDeleted(kind: ResourceKind, found: Found): Promise<void>;
}

/** Lists and deletes until every reaper lists nothing; throws with what is left when the bound passes. */
export async function convergeReapers(reapers: Reaper[], options: ConvergeOptions): Promise<number> {
  const deadline = Date.now() + options.boundMs;
  let deleted = 0;
  const seen = new Set<string>();
  for (let pass = 1; ; pass++) {
    const found = (await Promise.all(reapers.map(async (r) => (await r.list()).map((f) => ({ reaper: r, found: f }))))).flat();
    if (found.length === 0) return deleted;
    if (Date.now() > deadline) {
      throw new Error(`still present after ${pass - 1} passes: ${found.map((f) => `${f.reaper.kind} ${f.found.name || f.found.id}`).join(", ")}`);
    }
    await mapLimit(found, options.concurrency, async ({ reaper, found: f }) => {
      // 409: still in use (a group whose port goes in this pass) or already being deleted: the next pass sees it.
      await tolerateConflict(() => reaper.remove(f));
      if (!seen.has(`${reaper.kind}:${f.id}`)) {
        seen.add(`${reaper.kind}:${f.id}`);
        deleted += 1;
        await options.onDeleted(reaper.ledgerKind?.(f) ?? reaper.kind, f);
      }
    });
    await sleep(options.delayMs, options.signal);
  }
}

/** A cluster's converge: the ledger records every deletion. */
function converge(ctx: ClusterContext, io: StepIo, reapers: Reaper[]): Promise<number> {
  return convergeReapers(reapers, {
    signal: io.signal,
    concurrency: ctx.tuning.callConcurrency,
    boundMs: ctx.tuning.convergeBoundMs,
    delayMs: ctx.tuning.convergeDelayMs,
    onDeleted: (kind, f) => ctx.ledger.record({ kind, name: f.name, openstackId: f.id, status: "deleted" }),
  });
}

/**
 * Reapers of given resources by id (the reconciler's orphans), deleted like a cluster's: servers, server groups,
 * ports and security groups, each listed once per pass.
 */
export function reapersOf(session: Session, signal: AbortSignal, targets: { resourceKind: string; openstackId: string }[]): Reaper[] {
  const ids = (kind: string) => new Set(targets.filter((t) => t.resourceKind === kind).map((t) => t.openstackId));
  const call = { signal };
  const byId = (kind: string) => (r: { id: string }) => ids(kind).has(r.id);
  const reapers: Reaper[] = [
    { kind: "server", list: async () => (await servers.list(session, {}, call)).filter(byId("server")), remove: (s) => servers.remove(session, s.id, call) },
    { kind: "server-group", list: async () => (await serverGroups.list(session, call)).filter(byId("server-group")), remove: (g) => serverGroups.remove(session, g.id, call) },
    { kind: "port", list: async () => (await ports.list(session, {}, call)).filter(byId("port")), remove: (p) => ports.remove(session, p.id, call) },
    { kind: "security-group", list: async () => (await securityGroups.list(session, {}, call)).filter(byId("security-group")), remove: (g) => securityGroups.remove(session, g.id, call) },
  ];
  return reapers.filter((r) => ids(r.kind).size > 0);
}

interface Recorded extends Found {
  kind: ResourceKind;
}

/**
 * What the ledger says of these kinds (names limited to `names` when given) is still present; undefined when it
 * cannot vouch for them (a planned row never recorded, or no id): then the step lists instead.
 */
async function recordedPresent(ctx: ClusterContext, kinds: ResourceKind[], names?: ReadonlySet<string>): Promise<Recorded[] | undefined> {
  const rows = (await ctx.ledger.rows(kinds)).filter((r) => !names || names.has(r.name));
  if (rows.some((r) => r.status === "planned" || (r.status === "present" && !r.openstackId))) return undefined;
  return rows.filter((r) => r.status === "present").map((r) => ({ kind: r.kind, id: r.openstackId!, name: r.name }));
}

/** Deletes the recorded resources; false when one is still in use (409): the caller converges by listing then. */
async function deleteRecorded(ctx: ClusterContext, recorded: Recorded[], remove: (r: Recorded) => Promise<unknown>): Promise<boolean> {
  let inUse = false;
  await mapLimit(recorded, ctx.tuning.callConcurrency, async (r) => {
    try {
      await remove(r);
    } catch (error) {
      if (!isConflict(error)) throw error;
      inUse = true;
      return;
    }
    await ctx.ledger.record({ kind: r.kind, name: r.name, openstackId: r.id, status: "deleted" });
  });
  return !inUse;
}

/**
 * One kind of a step: the ledger's resources by DELETE, else (or after a 409) converge by listing, together with
 * `users` (the reapers of what may hold this kind in use).
 */
async function reap(ctx: ClusterContext, io: StepIo, reaper: Reaper, kinds: ResourceKind[], opts: { names?: ReadonlySet<string>; users?: Reaper[] } = {}): Promise<number> {
  const recorded = await recordedPresent(ctx, kinds, opts.names);
  if (recorded && (await deleteRecorded(ctx, recorded, (r) => reaper.remove(r)))) return recorded.length;
  return (recorded?.length ?? 0) + (await converge(ctx, io, [...(opts.users ?? []), reaper]));
}

/**
 * Servers: DELETE the recorded ones, then poll ONE listing of the cluster's servers (fast at first, slower later)
 * until none of `which` is left, deleting any the listing shows that was not asked to go yet (unknown to the ledger,
 * or a late duplicate) or that Nova is not deleting although asked.
 */
async function reapServers(ctx: ClusterContext, io: StepIo, which: "bootstrap" | "masters"): Promise<number> {
  const scope = { ctx, signal: io.signal };
  const reaper = serverReaper(scope, which);
  const names = new Set(ctx.plan.servers.filter((s) => (which === "bootstrap") === (s.node === "bootstrap")).map((s) => s.name));
  const vouched = await recordedPresent(ctx, ["server"], names);
  // The ledger says none of them is left (e.g. the bootstrap after bootstrap-teardown): nothing to list; a server
  // it does not know is verify-empty's to find.
  if (vouched?.length === 0) return 0;
  const recorded = vouched ?? [];
  const asked = new Set<string>();
  const remove = async (found: Found) => {
    asked.add(found.id);
    // A server already being deleted can answer 409: asked once is enough, the listing shows when it is gone.
    await tolerateConflict(() => reaper.remove(found));
  };
  await mapLimit(recorded, ctx.tuning.callConcurrency, remove);
  // Deleting takes Nova several seconds: a listing right after the DELETEs would only show them all still there.
  if (recorded.length > 0) await sleep(ctx.tuning.pollMs, io.signal);
  let left: Found[] = [];
  await pollUntil(
    ctx.session,
    async () => {
      left = await reaper.list();
      // Asked again: one not asked yet, and one asked that Nova is not deleting — its DELETE was refused (409 while
      // locked or busy) or lost before Nova acted; Nova marks an accepted DELETE at once (task state "deleting").
      await mapLimit(left.filter((f) => !asked.has(f.id) || !f.deleting), ctx.tuning.callConcurrency, remove);
      return left.length === 0 ? true : undefined;
    },
    () => `servers not gone: ${left.map((f) => f.name).join(", ")}`,
    // Pauses of 1.5, 2.25, 3.4… poll intervals up to 5 (listings at 1, 2.5, 4.75, 8.1… intervals after the DELETEs):
    // Nova takes seconds per server, so listing every interval mostly saw them still there (with a create's pauses,
    // from 500 ms, the control plane's teardown took 12–14 calls, most of them polls).
    { signal: io.signal, timeoutMs: ctx.tuning.convergeBoundMs, intervalMs: 5 * ctx.tuning.pollMs, firstIntervalMs: 1.5 * ctx.tuning.pollMs },
  );
  for (const r of recorded) await ctx.ledger.record({ kind: "server", name: r.name, openstackId: r.id, status: "deleted" });
  const unknown = [...asked].filter((id) => !recorded.some((r) => r.id === id));
  return recorded.length + unknown.length;
}

const clusterStepOf = (name: string, run: (scope: Scope, io: StepIo) => Promise<number>) =>
  clusterStep(name, { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
    const deleted = await run({ ctx, signal: io.signal }, io);
    await io.event("info", `${name}: ${deleted} deleted, none left`);
    return { deleted };
  });

const portKinds: ResourceKind[] = ["port", "vip-port"];

/** Masters first; their server group once they are gone. */
export const teardownControlPlane = clusterStepOf(
  "control-plane",
  async (scope, io) => (await reapServers(scope.ctx, io, "masters")) + (await reap(scope.ctx, io, serverGroupReaper(scope), ["server-group"])),
);
export const teardownBootstrapServer = clusterStepOf("bootstrap", (scope, io) => reapServers(scope.ctx, io, "bootstrap"));
export const teardownPorts = clusterStepOf("ports", (scope, io) => reap(scope.ctx, io, portReaper(scope, "all"), portKinds));
export const teardownSecurityGroups = clusterStepOf("security-groups", (scope, io) =>
  reap(scope.ctx, io, securityGroupReaper(scope), ["security-group"], { users: [portReaper(scope, "all")] }),
);
export const teardownIgnitionConfig = clusterStepOf("ignition-config", async (scope, io) => {
  // The object before its container (a container that still holds objects answers 409).
  const objects = await reap(scope.ctx, io, swiftReaper(scope, "object"), ["swift-object"]);
  return objects + (await reap(scope.ctx, io, swiftReaper(scope, "all"), ["swift-container"]));
});

/** After bootstrap-complete: the bootstrap server, its 4 ports and its Ignition object go; the masters stay. */
export const bootstrapTeardown = clusterStep("bootstrap-teardown", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = { ctx, signal: io.signal };
  const servers = await reapServers(ctx, io, "bootstrap");
  const bootstrapPorts = new Set(ctx.plan.ports.filter((p) => p.node === "bootstrap").map((p) => p.name));
  const ports = await reap(ctx, io, portReaper(scope, "bootstrap"), ["port"], { names: bootstrapPorts });
  const objects = await reap(ctx, io, swiftReaper(scope, "object"), ["swift-object"]);
  await io.event("info", `bootstrap removed: ${servers} server, ${ports} ports, ${objects} objects`);
  return { deleted: servers + ports + objects };
});

/**
 * The last teardown step: every kind listed once per pass (servers, server groups, security groups, ports, Swift),
 * whatever is found deleted, until a pass finds nothing — that pass is the verification.
 */
export const verifyEmpty = clusterStep("verify-empty", { timeoutMs: 20 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const scope = { ctx, signal: io.signal };
  const straggling = await converge(ctx, io, [
    serverReaper(scope, "all"),
    serverGroupReaper(scope),
    securityGroupReaper(scope),
    portReaper(scope, "all"),
    swiftReaper(scope, "all"),
  ]);
  await io.event("info", `nothing of ${clusterTag(ctx)} remains${straggling ? ` (${straggling} stragglers removed)` : ""}`);
  return { straggling };
});
