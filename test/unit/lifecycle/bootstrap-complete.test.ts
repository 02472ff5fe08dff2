import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBootstrapComplete, KubeconfigError, parseKubeconfig, probeBootstrap } from "@/lib/lifecycle/bootstrap-complete";
import { startKubeApiStandin, type KubeApiStandin } from "../../support/kube-api-standin";

describe("bootstrap-complete probe (against a TLS stand-in of the kube-apiserver)", () => {
  let api: KubeApiStandin;
  beforeAll(async () => {
    api = await startKubeApiStandin("starting");
  });
  afterAll(() => api.stop());

  it("follows the API from starting to ready to bootstrap complete", async () => {
    const access = parseKubeconfig(api.kubeconfig);
    const starting = await probeBootstrap(access);
    expect(starting).toMatchObject({ apiReady: false, bootstrapStatus: null });
    expect(starting.detail).toBe("/readyz answered 500");

    api.setPhase("ready");
    const ready = await probeBootstrap(access);
    expect(ready).toMatchObject({ apiReady: true, bootstrapStatus: null });
    expect(isBootstrapComplete(ready)).toBe(false);

    api.setPhase("complete");
    const done = await probeBootstrap(access);
    expect(done).toEqual({ apiReady: true, bootstrapStatus: "complete", detail: "bootstrap config map status: complete" });
    expect(isBootstrapComplete(done)).toBe(true);
    expect(api.requests()).toContain("GET /api/v1/namespaces/kube-system/configmaps/bootstrap");
  });

  it("is refused without the client certificate, and reports an untrusted server as unreachable", async () => {
    const access = parseKubeconfig(api.kubeconfig);
    const anonymous = await probeBootstrap({ ...access, clientCertPem: undefined, clientKeyPem: undefined });
    expect(anonymous).toMatchObject({ apiReady: true, bootstrapStatus: null, detail: "bootstrap config map: HTTP 403" });
    const untrusted = await probeBootstrap({ ...access, caPem: undefined });
    expect(untrusted.apiReady).toBe(false);
    expect(untrusted.detail).toMatch(/API unreachable at https:\/\/127\.0\.0\.1:\d+: /);
  });

  it("explains what is wrong with a kubeconfig", () => {
    expect(() => parseKubeconfig("a: [")).toThrow(KubeconfigError);
    expect(() => parseKubeconfig("apiVersion: v1\nkind: Config\n")).toThrow("kubeconfig has no context");
    const noCreds = api.kubeconfig.replace(/client-certificate-data: .*/, "token-file: /nowhere").replace(/client-key-data: .*/, "");
    expect(() => parseKubeconfig(noCreds)).toThrow(/needs a token or inline client-certificate-data/);
  });
});
