import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import type { NodeName } from "@/lib/domain";
import { NETWORK_ROLES, NODE_NAMES } from "@/lib/domain";
import { renderNodeConfig, writeConfigFile, writeNodeConfig, type RenderInput, type WrittenConfig } from "@/lib/ignition";
import { isNotFound } from "@/lib/openstack/errors";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import * as tempUrls from "@/lib/openstack/swift/tempurl/requests";
import type { ClusterContext } from "../context";
import type { StepIo } from "../engine";
import { clusterStep, outputOf } from "./common";

const MINUTE = 60_000;

const Mac = z.string().regex(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
const NodeMacs = z.object(Object.fromEntries(NETWORK_ROLES.map((role) => [role, Mac])) as Record<(typeof NETWORK_ROLES)[number], typeof Mac>);
/** What the ports step records besides its counts: the MAC of every node port. */
export const PortMacs = z.object({ macs: z.object(Object.fromEntries(NODE_NAMES.map((node) => [node, NodeMacs])) as Record<NodeName, typeof NodeMacs>) });

/** The render input with the MAC of every node port, as the ports step recorded them (the NIC configs match by MAC). */
export function withPortMacs(render: ClusterContext["render"], ports: z.infer<typeof PortMacs>): RenderInput {
  return { ...render, macs: ports.macs };
}

function renderInputOf(ctx: ClusterContext, io: StepIo): RenderInput {
  return withPortMacs(ctx.render, outputOf(io, "ports", PortMacs));
}

/** The node's full Ignition config, rendered with the recorded port MACs. */
export function renderForNode(ctx: ClusterContext, io: StepIo, node: NodeName) {
  return renderNodeConfig(renderInputOf(ctx, io), node);
}

/**
 * The bootstrap's full config written to an owner-only temp file for `use`, removed after: streamed by the generator,
 * so the tens of MB of a large fakeroot are never one string in the worker, and an upload can be sent again.
 */
async function withBootstrapConfig<T>(ctx: ClusterContext, io: StepIo, use: (file: string, written: WrittenConfig) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), "tripod-ignition-"));
  try {
    const file = path.join(dir, "bootstrap.ign");
    const written = writeConfigFile(file, (sink) => writeNodeConfig(renderInputOf(ctx, io), "bootstrap", sink));
    return await use(file, written);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A signed temp URL of the bootstrap's full config (what its pointer config fetches), with what it points at. */
const UploadedConfig = z.object({ url: z.string().url(), expires: z.number(), digest: z.string(), sha512: z.string(), bytes: z.number() });

/** Puts the bootstrap's full config in Swift (container first), recording both in the ledger. */
async function uploadBootstrapConfig(ctx: ClusterContext, io: StepIo, file: string, written: WrittenConfig): Promise<void> {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  await containers.create(s, plan.swift.container, call);
  await ctx.ledger.record({ kind: "swift-container", name: plan.swift.container, openstackId: plan.swift.container, status: "present" });
  const body = { length: written.bytes, open: () => createReadStream(file) };
  await objects.put(s, plan.swift.container, plan.swift.object, body, { contentType: "application/vnd.coreos.ignition+json" }, call);
  const name = `${plan.swift.container}/${plan.swift.object}`;
  await ctx.ledger.record({ kind: "swift-object", name, openstackId: name, node: "bootstrap", status: "present" });
}

/** A temp URL for the uploaded config, valid for the tuning's TTL from now. */
async function signBootstrapUrl(ctx: ClusterContext, io: StepIo, written: WrittenConfig): Promise<z.infer<typeof UploadedConfig>> {
  const { plan } = ctx;
  const signed = await tempUrls.create(ctx.session, { container: plan.swift.container, object: plan.swift.object, ttlSeconds: ctx.tuning.tempUrlTtlSeconds }, { signal: io.signal });
  await io.event("info", `bootstrap config (${written.bytes} bytes) in Swift, temp URL signed with ${signed.digest}, valid until ${new Date(signed.expires * 1000).toISOString()}`);
  return { url: signed.url, expires: signed.expires, digest: signed.digest, sha512: written.sha512, bytes: written.bytes };
}

export const uploadIgnition = clusterStep("ignition-upload", { timeoutMs: 5 * MINUTE, maxAttempts: 5 }, (ctx, io) =>
  withBootstrapConfig(ctx, io, async (file, written) => {
    await uploadBootstrapConfig(ctx, io, file, written);
    return signBootstrapUrl(ctx, io, written);
  }),
);

/**
 * Right before the bootstrap server is (re)created: a fresh temp URL (the one the upload step signed may have
 * expired while the create waited for a retry) for the object the upload step put in Swift, whose size and SHA-512
 * it recorded; only when the object went missing meanwhile is the config rendered and uploaded again.
 */
export async function freshBootstrapUrl(ctx: ClusterContext, io: StepIo): Promise<z.infer<typeof UploadedConfig>> {
  try {
    await objects.head(ctx.session, ctx.plan.swift.container, ctx.plan.swift.object, { signal: io.signal });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return withBootstrapConfig(ctx, io, async (file, written) => {
      await io.event("warning", `the bootstrap config ${ctx.plan.swift.container}/${ctx.plan.swift.object} was missing from Swift: uploaded again`);
      await uploadBootstrapConfig(ctx, io, file, written);
      return signBootstrapUrl(ctx, io, written);
    });
  }
  return signBootstrapUrl(ctx, io, outputOf(io, "ignition-upload", UploadedConfig));
}
