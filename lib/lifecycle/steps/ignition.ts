import { z } from "zod";
import type { NodeName } from "@/lib/domain";
import { NETWORK_ROLES, NODE_NAMES } from "@/lib/domain";
import { renderNodeConfig, serializeConfig, sha512Hex, type RenderInput } from "@/lib/ignition";
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

/** The node's full Ignition config, rendered with the recorded port MACs. */
export function renderForNode(ctx: ClusterContext, io: StepIo, node: NodeName) {
  return renderNodeConfig(withPortMacs(ctx.render, outputOf(io, "ports", PortMacs)), node);
}

export function renderSerialized(ctx: ClusterContext, io: StepIo, node: NodeName): string {
  return serializeConfig(renderForNode(ctx, io, node));
}

/** What the upload step records: the temp URL the bootstrap's pointer config fetches its full config from. */
export const UploadedConfig = z.object({ url: z.string().url(), expires: z.number(), digest: z.string(), sha512: z.string(), bytes: z.number() });
export const uploadedConfig = (io: StepIo) => outputOf(io, "ignition-upload", UploadedConfig);

export const uploadIgnition = clusterStep("ignition-upload", { timeoutMs: 5 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  const bootstrap = renderSerialized(ctx, io, "bootstrap");
  await containers.create(s, plan.swift.container, call);
  await ctx.ledger.record({ kind: "swift-container", name: plan.swift.container, openstackId: plan.swift.container, status: "present" });
  await objects.put(s, plan.swift.container, plan.swift.object, bootstrap, { contentType: "application/vnd.coreos.ignition+json" }, call);
  const name = `${plan.swift.container}/${plan.swift.object}`;
  await ctx.ledger.record({ kind: "swift-object", name, openstackId: name, node: "bootstrap", status: "present" });
  const signed = await tempUrls.create(s, { container: plan.swift.container, object: plan.swift.object, ttlSeconds: ctx.tuning.tempUrlTtlSeconds }, call);
  await io.event("info", `bootstrap config (${bootstrap.length} bytes) in Swift, temp URL signed with ${signed.digest}, valid until ${new Date(signed.expires * 1000).toISOString()}`);
  const uploaded: z.infer<typeof UploadedConfig> = { url: signed.url, expires: signed.expires, digest: signed.digest, sha512: sha512Hex(bootstrap), bytes: bootstrap.length };
  return uploaded;
});
