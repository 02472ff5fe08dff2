import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNodeTree, type TreeEntry } from "@/lib/ignition";
import { demoRenderInput, tempDir } from "./helpers";

// The rendered daemon configs, checked by the real daemons from Debian: `haproxy -c` and `keepalived -t`, the
// latter inside a network namespace that has the configured NIC names (keepalived -t refuses a missing interface).
// The namespace holds only veth pairs with no addresses; it is created and deleted here.

const MASTERS = ["master-0", "master-1", "master-2"] as const;

function writeEntry(tree: TreeEntry[], hostPath: string): string {
  const entry = tree.find((e) => e.path === hostPath);
  if (!entry || entry.kind !== "file") throw new Error(`${hostPath} not rendered`);
  const file = path.join(tempDir("daemon"), path.basename(hostPath));
  writeFileSync(file, entry.content);
  return file;
}

function sh(command: string, args: string[]) {
  const run = spawnSync(command, args, { encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

describe("haproxy -c", () => {
  it.each(MASTERS)("accepts %s's haproxy.cfg with zero warnings", (node) => {
    const file = writeEntry(renderNodeTree(demoRenderInput(), node), "/etc/kubernetes/static-pod-resources/haproxy/haproxy.cfg");
    const check = sh("haproxy", ["-c", "-dW", "-f", file]);
    expect(check, check.output).toEqual({ status: 0, output: "Configuration file is valid" });
  });

  it("really checks: a broken backend line fails", () => {
    const file = writeEntry(renderNodeTree(demoRenderInput(), "master-0"), "/etc/kubernetes/static-pod-resources/haproxy/haproxy.cfg");
    writeFileSync(file, `${readFileSync(file, "utf8")}  server broken 198.51.100.1:99999 check\n`);
    expect(sh("haproxy", ["-c", "-f", file]).status).not.toBe(0);
  });
});

describe("keepalived -t in a network namespace", () => {
  const namespace = `tripod-ign-${process.pid}`;
  const nics = ["ens3", "ens4", "ens5", "ens6", "eth0", "eth1", "eth2", "eth3"];

  beforeAll(() => {
    expect(sh("ip", ["netns", "add", namespace]).status).toBe(0);
    for (const nic of nics) {
      expect(sh("ip", ["-n", namespace, "link", "add", nic, "type", "veth", "peer", "name", `p-${nic}`]).status).toBe(0);
      sh("ip", ["-n", namespace, "link", "set", nic, "up"]);
    }
  });
  afterAll(() => {
    sh("ip", ["netns", "del", namespace]);
  });

  const keepalivedTest = (file: string) => sh("ip", ["netns", "exec", namespace, "keepalived", "-t", "-f", file]);
  const CONF = "/etc/keepalived/keepalived.conf";

  it.each(["bootstrap", ...MASTERS] as const)("accepts %s's keepalived.conf", (node) => {
    const check = keepalivedTest(writeEntry(renderNodeTree(demoRenderInput(), node), CONF));
    expect(check, check.output).toEqual({ status: 0, output: "" });
  });

  it("accepts configs for renamed NICs", () => {
    const input = demoRenderInput((s) => ["eth0", "eth1", "eth2", "eth3"].forEach((nic, i) => (s.networks[["outbound", "cluster", "management", "public"][i]].interface = nic)));
    const check = keepalivedTest(writeEntry(renderNodeTree(input, "master-1"), CONF));
    expect(check, check.output).toEqual({ status: 0, output: "" });
  });

  it("really checks: a NIC missing from the namespace fails", () => {
    const input = demoRenderInput((s) => (s.networks.public.interface = "ens9"));
    const check = keepalivedTest(writeEntry(renderNodeTree(input, "master-0"), CONF));
    expect(check.status).not.toBe(0);
    expect(check.output).toMatch(/interface ens9 .* doesn't exist/);
  });
});
