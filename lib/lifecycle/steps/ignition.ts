import { z } from "zod";
import type { NodeName } from "@/lib/domain";
import { renderNodeConfig, serializeConfig, sha512Hex } from "@/lib/ignition";
import * as containers from "@/lib/openstack/swift/containers/requests";
import * as objects from "@/lib/openstack/swift/objects/requests";
import * as tempUrls from "@/lib/openstack/swift/tempurl/requests";
import type { ClusterContext } from "../context";
import type { StepIo } from "../engine";
import { clusterStep, outputOf } from "./common";

const MINUTE = 60_000;

export function renderSerialized(ctx: ClusterContext, node: NodeName): string {
  return serializeConfig(renderNodeConfig(ctx.render, node));
}

/** What the upload step records: the temp URL the bootstrap's pointer config fetches its full config from. */
export const UploadedConfig = z.object({ url: z.string().url(), expires: z.number(), digest: z.string(), sha512: z.string(), bytes: z.number() });
export const uploadedConfig = (io: StepIo) => outputOf(io, "ignition-upload", UploadedConfig);

export const uploadIgnition = clusterStep("ignition-upload", { timeoutMs: 5 * MINUTE, maxAttempts: 5 }, async (ctx, io) => {
  const { session: s, plan } = ctx;
  const call = { signal: io.signal };
  const bootstrap = renderSerialized(ctx, "bootstrap");
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
