import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type IgnitionConfig,
  InvalidGeneratedConfigError,
  loadFakeroot,
  mergeTree,
  renderTree,
  stableStringify,
  UnsupportedIgnitionVersionError,
} from "@/lib/ignition";
import { ignitionValidate, tempDir } from "./helpers";

// The three filetranspiler v1.1.3 examples of the facts document §1.5, replayed through our merge where they apply
// to spec 3; differences from filetranspiler are the documented fixes (no 2.x, links replaced, deterministic order).

function tree(files: Record<string, { content?: string | Buffer; mode?: number; link?: string }>): string {
  const root = tempDir("fakeroot");
  for (const [rel, spec] of Object.entries(files)) {
    const full = path.join(root, "all", rel);
    mkdirSync(path.dirname(full), { recursive: true });
    if (spec.link !== undefined) symlinkSync(spec.link, full);
    else writeFileSync(full, spec.content ?? "", { mode: spec.mode ?? 0o644 });
  }
  return root;
}

function transpile(root: string, base: IgnitionConfig) {
  return mergeTree(base, renderTree(loadFakeroot(root), ["all"], {}));
}

const NODEIP = "[Service]\nEnvironment=\"KUBELET_NODE_IP=10.0.1.11\"\n";

describe("filetranspiler example A (no base config)", () => {
  const root = tree({ "etc/systemd/system/kubelet.service.d/80-nodeip.conf": { content: NODEIP } });
  it("refuses the spec 2.3.0 that filetranspiler defaults to", () => {
    expect(() => transpile(root, { ignition: { version: "2.3.0" } })).toThrow(UnsupportedIgnitionVersionError);
  });
  it("gives the same file, as a spec 3 entry, on a 3.2.0 base", () => {
    const { config } = transpile(root, { ignition: { version: "3.2.0" } });
    expect(config.storage?.files).toEqual([
      {
        path: "/etc/systemd/system/kubelet.service.d/80-nodeip.conf",
        mode: 420,
        overwrite: true,
        // filetranspiler's base64 for the same bytes (media type differs: libmagic's, not ours)
        contents: { source: "data:text/plain;charset=utf-8;base64,W1NlcnZpY2VdCkVudmlyb25tZW50PSJLVUJFTEVUX05PREVfSVA9MTAuMC4xLjExIgo=" },
      },
    ]);
    expect(ignitionValidate(config).ok).toBe(true);
  });
});

describe("filetranspiler example B (merge into a 3.2.0 pointer config)", () => {
  const base: IgnitionConfig = {
    ignition: { version: "3.2.0", config: { merge: [{ source: "https://api-int.example:22623/config/master" }] } },
    storage: {
      files: [{ path: "/etc/kubernetes/manifests/keepalived.yaml", mode: 420, contents: { source: "data:,old" } }],
      links: [{ path: "/etc/kubernetes/abs-link.yaml", target: "/tmp/x" }],
    },
  };
  const root = tree({
    "etc/kubernetes/manifests/keepalived.yaml": { content: "apiVersion: v1\nkind: Pod\n" },
    "etc/kubernetes/static-pod-resources/keepalived/scripts/chk_ocp_script.sh.tmpl": { content: "#!/bin/bash\n", mode: 0o755 },
    "etc/kubernetes/abs-link.yaml": { link: "/etc/kubernetes/manifests/keepalived.yaml" },
  });
  mkdirSync(path.join(root, "all/etc/emptydir"), { recursive: true });
  const { config } = transpile(root, base);

  it("replaces the base file in place and adds the script with mode 0755", () => {
    expect(config.storage?.files).toEqual([
      { path: "/etc/kubernetes/manifests/keepalived.yaml", mode: 420, overwrite: true, contents: { source: "data:text/plain;charset=utf-8;base64,YXBpVmVyc2lvbjogdjEKa2luZDogUG9kCg==" } },
      { path: "/etc/kubernetes/static-pod-resources/keepalived/scripts/chk_ocp_script.sh.tmpl", mode: 493, overwrite: true, contents: { source: "data:text/plain;charset=utf-8;base64,IyEvYmluL2Jhc2gK" } },
    ]);
  });
  it("replaces the base link instead of appending a duplicate (which Ignition rejects)", () => {
    expect(config.storage?.links).toEqual([
      { path: "/etc/kubernetes/abs-link.yaml", target: "/etc/kubernetes/manifests/keepalived.yaml", hard: false, overwrite: true },
    ]);
  });
  it("passes the rest of the base through and drops empty directories", () => {
    expect(config.ignition).toEqual(base.ignition);
    expect(config.storage?.directories).toBeUndefined();
    expect(base.storage?.files?.[0].contents?.source).toBe("data:,old");
  });
  it("is a config Ignition accepts", () => {
    expect(ignitionValidate(config)).toEqual({ ok: true, output: "" });
  });
  it("keeps symlinks to directories as links (filetranspiler silently dropped them)", () => {
    const withDirLink = tree({ "etc/kubernetes/manifests/a.yaml": { content: "a" }, "etc/kubernetes/manifests-link": { link: "manifests" } });
    const { config: merged } = transpile(withDirLink, { ignition: { version: "3.2.0" } });
    expect(merged.storage?.links).toEqual([{ path: "/etc/kubernetes/manifests-link", target: "manifests", hard: false, overwrite: true }]);
  });
});

describe("filetranspiler example C (3.4.0 base, text, binary, empty, symlink)", () => {
  const root = tree({
    "etc/sysconfig/network-scripts/ifcfg-ens3": { content: "DEVICE=ens3\n" },
    "etc/sysconfig/network-scripts/ifcfg-outbound": { link: "ifcfg-ens3" },
    "etc/kubernetes/static-pod-resources/haproxy/empty": { content: "" },
    "etc/motd": { content: "café\n" },
    "etc/blob.bin": { content: Buffer.from([0, 1, 2]) },
  });
  const { config } = transpile(root, { ignition: { version: "3.4.0" } });
  const sources = Object.fromEntries((config.storage?.files ?? []).map((f) => [f.path, f.contents?.source]));

  it("encodes text as UTF-8 and binary as octet-stream, keeping dots in names (filetranspiler's -f . bug)", () => {
    expect(sources).toEqual({
      "/etc/blob.bin": "data:application/octet-stream;base64,AAEC",
      "/etc/kubernetes/static-pod-resources/haproxy/empty": "data:text/plain;charset=utf-8;base64,",
      "/etc/motd": "data:text/plain;charset=utf-8;base64,Y2Fmw6kK",
      "/etc/sysconfig/network-scripts/ifcfg-ens3": "data:text/plain;charset=utf-8;base64,REVWSUNFPWVuczMK",
    });
  });
  it("sorts entries by path and keeps the relative symlink as a link", () => {
    expect(config.storage?.files?.map((f) => f.path)).toEqual([...Object.keys(sources)].sort());
    expect(config.storage?.links).toEqual([{ path: "/etc/sysconfig/network-scripts/ifcfg-outbound", target: "ifcfg-ens3", hard: false, overwrite: true }]);
    expect(config.ignition.version).toBe("3.4.0");
  });
});

describe("merge collisions", () => {
  it("refuses a file where the base has a link, naming the template", () => {
    const root = tree({ "etc/foo": { content: "x" } });
    const run = () => transpile(root, { ignition: { version: "3.2.0" }, storage: { links: [{ path: "/etc/foo", target: "/bar" }] } });
    expect(run).toThrow(InvalidGeneratedConfigError);
    expect(run).toThrow(/\/etc\/foo \(from all\/etc\/foo\): the installer config already has a link/);
  });
  it("refuses entries below a link", () => {
    const root = tree({ "etc/conf/a.conf": { content: "x" } });
    const run = () => transpile(root, { ignition: { version: "3.2.0" }, storage: { links: [{ path: "/etc/conf", target: "/usr/etc" }] } });
    expect(run).toThrow(/lies under the link \/etc\/conf/);
  });
  it("produces the same bytes whatever the walk order", () => {
    const a = tree({ "b/2": { content: "2" }, "a/1": { content: "1" } });
    const b = tree({ "a/1": { content: "1" }, "b/2": { content: "2" } });
    const base = { ignition: { version: "3.2.0" } };
    expect(stableStringify(transpile(a, base).config)).toBe(stableStringify(transpile(b, base).config));
  });
});
