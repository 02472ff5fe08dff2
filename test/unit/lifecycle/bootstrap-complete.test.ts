import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapEndpoints, KubeconfigError, parseKubeconfig, waitForBootstrapComplete, type BootstrapEndpoint } from "@/lib/lifecycle/bootstrap-complete";
import { demoSpec } from "../../support/demo-spec";
import { startKubeApiStandin, type KubeApiStandin } from "../../support/kube-api-standin";

describe("bootstrap-complete detection (against a TLS stand-in of the kube-apiserver)", () => {
  let api: KubeApiStandin;
  beforeAll(async () => {
    api = await startKubeApiStandin("starting");
  });
  afterAll(() => api.stop());

  const waitFor = async (what: () => boolean, ms = 5000) => {
    const deadline = Date.now() + ms;
    while (!what()) {
      if (Date.now() > deadline) throw new Error("condition not met");
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it("asks the masters' Cluster addresses first, then the VIPs, then the kubeconfig's server", () => {
    const spec = demoSpec();
    const access = { ...parseKubeconfig(api.kubeconfig), server: "https://api.demo.tripod.test:6443" };
    expect(bootstrapEndpoints(spec, access).map((e) => e.url)).toEqual([
      "https://198.18.20.21:6443",
      "https://198.18.20.22:6443",
      "https://198.18.20.23:6443",
      "https://198.18.20.5:6443",
      "https://198.18.40.5:6443",
      "https://api.demo.tripod.test:6443",
    ]);
  });

  it("skips a dead endpoint, waits for /readyz, lists once and watches until the config map is complete", async () => {
    const access = parseKubeconfig(api.kubeconfig);
    const endpoints: BootstrapEndpoint[] = [
      { label: "dead master", url: "https://127.0.0.1:1" },
      { label: "stand-in", url: api.url },
    ];
    const details: string[] = [];
    const stop = new AbortController();
    let seenBy: BootstrapEndpoint | null = null;
    const waiting = waitForBootstrapComplete(access, endpoints, { signal: stop.signal, onDetail: (d) => details.push(d), retryMs: 50 }).then((e) => (seenBy = e));
    await waitFor(() => details.some((d) => d.includes("/readyz answered 500")));
    expect(details.some((d) => /dead master \(https:\/\/127\.0\.0\.1:1\): unreachable: ECONNREFUSED/.test(d))).toBe(true);

    api.setPhase("ready");
    await waitFor(() => details.some((d) => d.includes("watching the bootstrap config map")));
    const listsBefore = api.requests().filter((r) => r.includes("configmaps?") && !r.includes("watch=true")).length;
    await new Promise((r) => setTimeout(r, 300));
    expect(seenBy).toBeNull();
    api.setPhase("complete");
    const t0 = Date.now();
    await waiting;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(seenBy).toEqual(endpoints[1]);
    // one watch, no sampling: no further list while waiting
    expect(api.requests().filter((r) => r.includes("configmaps?") && !r.includes("watch=true")).length).toBe(listsBefore);
    expect(api.requests()).toContainEqual(expect.stringMatching(/fieldSelector=metadata\.name%3Dbootstrap&watch=true&allowWatchBookmarks=true&resourceVersion=4000&timeoutSeconds=60/));
  });

  it("lists again when its watch version has left the server's history (410 Expired), then sees the config map", async () => {
    const compacting = await startKubeApiStandin("ready");
    try {
      const details: string[] = [];
      const stop = new AbortController();
      const lists = () => compacting.requests().filter((r) => r.includes("configmaps?") && !r.includes("watch=true"));
      const waiting = waitForBootstrapComplete(parseKubeconfig(compacting.kubeconfig), [{ label: "stand-in", url: compacting.url }], {
        signal: stop.signal,
        onDetail: (d) => details.push(d),
        watchSeconds: 1, // the server ends each watch after a second; the client resumes from its last version
      });
      await waitFor(() => details.some((d) => d.includes("watching")));
      compacting.compact();
      await waitFor(() => lists().length === 2); // resuming at 4000 got 410: listed again (at 5000)
      await waitFor(() => compacting.requests().some((r) => /watch=true.*resourceVersion=5000/.test(r)));
      compacting.setPhase("complete");
      expect((await waiting).label).toBe("stand-in");
    } finally {
      await compacting.stop();
    }
  });

  it("reports a refused list without the client certificate, and an untrusted server as unreachable", async () => {
    api.setPhase("ready");
    const access = parseKubeconfig(api.kubeconfig);
    const once = async (a: typeof access) => {
      const details: string[] = [];
      const stop = new AbortController();
      const waiting = waitForBootstrapComplete(a, [{ label: "stand-in", url: api.url }], { signal: stop.signal, onDetail: (d) => details.push(d), retryMs: 10_000 });
      waiting.catch(() => undefined);
      await waitFor(() => details.length > 0);
      stop.abort();
      return details[0];
    };
    expect(await once({ ...access, clientCertPem: undefined, clientKeyPem: undefined })).toBe(`stand-in (${api.url}): API ready; listing the bootstrap config map: HTTP 403`);
    expect(await once({ ...access, caPem: undefined })).toMatch(/stand-in \(https:\/\/127\.0\.0\.1:\d+\): unreachable: /);
  });

  it("explains what is wrong with a kubeconfig", () => {
    expect(() => parseKubeconfig("a: [")).toThrow(KubeconfigError);
    expect(() => parseKubeconfig("apiVersion: v1\nkind: Config\n")).toThrow("kubeconfig has no context");
    // another shape than a kubeconfig's, named by its field
    expect(() => parseKubeconfig("contexts: 5\n")).toThrow("kubeconfig contexts: Invalid input: expected array, received number");
    expect(() => parseKubeconfig("contexts:\n- null\n")).toThrow("kubeconfig contexts.0: Invalid input: expected object, received null");
    expect(() => parseKubeconfig("contexts:\n- name: a\n")).toThrow("kubeconfig contexts.0.context: Invalid input: expected object, received undefined");
    expect(() => parseKubeconfig("clusters:\n  a: {server: x}\n")).toThrow("kubeconfig clusters: Invalid input: expected array, received object");
    expect(() => parseKubeconfig("clusters:\n- name: a\n  cluster: {server: 443}\n")).toThrow("kubeconfig clusters.0.cluster.server: Invalid input: expected string, received number");
    expect(() => parseKubeconfig("- a\n- b\n")).toThrow("kubeconfig is not a mapping of contexts, clusters and users");
    const noCreds = api.kubeconfig.replace(/client-certificate-data: .*/, "token-file: /nowhere").replace(/client-key-data: .*/, "");
    expect(() => parseKubeconfig(noCreds)).toThrow(/needs a token or inline client-certificate-data/);
  });
});
