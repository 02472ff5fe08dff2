import { Pod } from "kubernetes-models/v1/Pod";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { NODE_NAMES } from "@/lib/domain";
import { renderNodeTree } from "@/lib/ignition";
import { demoRenderInput } from "./helpers";

// Every static pod manifest, parsed as YAML and validated against the Kubernetes Pod JSON schema (kubernetes-models
// carries the schemas generated from Kubernetes' OpenAPI, compiled with ajv). That schema has no
// additionalProperties:false, so misspelt fields are caught by the static-pod rules below instead.

const MANIFESTS = "/etc/kubernetes/manifests/";
const POD_SPEC_FIELDS = ["containers", "hostNetwork", "priorityClassName", "tolerations", "volumes"];
const CONTAINER_FIELDS = ["args", "command", "env", "image", "imagePullPolicy", "livenessProbe", "name", "resources", "securityContext", "terminationMessagePolicy", "volumeMounts"];

function manifestsOf(node: (typeof NODE_NAMES)[number], mdns = false) {
  return renderNodeTree(demoRenderInput((s) => (s.mdnsPublisher = mdns)), node)
    .filter((e) => e.kind === "file" && e.path.startsWith(MANIFESTS))
    .map((e) => ({ path: e.path, pod: parse((e as { content: Buffer }).content.toString("utf8")) as Record<string, any> }));
}

describe("static pod manifests", () => {
  const cases = [
    ...NODE_NAMES.flatMap((node) => manifestsOf(node).map((m) => [node, m.path, m.pod] as const)),
    ...manifestsOf("master-0", true).filter((m) => m.path.includes("mdns")).map((m) => ["master-0 (legacy mdns)", m.path, m.pod] as const),
  ];

  it("covers keepalived and coredns everywhere, haproxy on masters, mdns-publisher when asked", () => {
    const names = (node: string) => cases.filter(([n]) => n === node).map(([, p]) => p.slice(MANIFESTS.length)).sort();
    expect(names("bootstrap")).toEqual(["coredns.yaml", "keepalived.yaml"]);
    expect(names("master-1")).toEqual(["coredns.yaml", "haproxy.yaml", "keepalived.yaml"]);
    expect(names("master-0 (legacy mdns)")).toEqual(["mdns-publisher.yaml"]);
  });

  it.each(cases)("%s %s is a valid Pod", (_node, _path, manifest) => {
    expect(() => new Pod(manifest as ConstructorParameters<typeof Pod>[0]).validate()).not.toThrow();
  });

  it.each(cases)("%s %s follows the static pod rules", (_node, _path, manifest) => {
    expect(manifest.apiVersion).toBe("v1");
    expect(manifest.kind).toBe("Pod");
    expect(manifest.metadata.namespace).toBe("kube-system");
    expect(Object.keys(manifest.spec).filter((k) => !POD_SPEC_FIELDS.includes(k))).toEqual([]);
    expect(manifest.spec.hostNetwork).toBe(true);
    const volumes = new Set(manifest.spec.volumes.map((v: { name: string }) => v.name));
    for (const container of manifest.spec.containers) {
      expect(Object.keys(container).filter((k) => !CONTAINER_FIELDS.includes(k))).toEqual([]);
      expect(container.image).toMatch(/^quay\.io\/openshift\/origin-[a-z-]+:4\.16$/);
      for (const mount of container.volumeMounts ?? []) expect(volumes.has(mount.name)).toBe(true);
    }
  });

  it("the validator catches a broken Pod", () => {
    const [{ pod }] = manifestsOf("master-0");
    pod.spec.containers[0].livenessProbe.initialDelaySeconds = "soon";
    delete pod.spec.containers[0].name;
    expect(() => new Pod(pod).validate()).toThrow(/name|integer/);
  });
});
