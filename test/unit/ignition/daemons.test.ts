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
  const nics = ["ens3", "ens4", "ens5", "ens6", "eth0", "eth1", "eth2", "eth3", "br-ex"];

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

describe("nmcli --offline (NetworkManager 1.42 parses each rendered keyfile)", () => {
  const nodes = ["bootstrap", ...MASTERS] as const;
  const keyfiles = nodes.flatMap((node) =>
    renderNodeTree(demoRenderInput(), node)
      .filter((e): e is Extract<TreeEntry, { kind: "file" }> => e.kind === "file" && e.path.startsWith("/etc/NetworkManager/system-connections/"))
      .map((entry) => ({ node, entry })),
  );
  /** `key=value` lines of the sections that carry addressing, as a set of normalised strings. */
  const significant = (text: string) => {
    const keep = /^(address\d+|route\d+|route\d+_options|routing-rule\d+|mac-address|interface-name|mtu|gateway|never-default|dns|method)=/;
    return text.split("\n").filter((l) => keep.test(l)).map((l) => (l.startsWith("mac-address=") ? l.toLowerCase() : l)).sort();
  };

  it("renders 4 keyfiles per node", () => expect(keyfiles).toHaveLength(16));

  it.each(keyfiles.map((k) => [`${k.node} ${k.entry.path}`, k] as const))("accepts %s and keeps every address, route, rule, MAC and table", (_, { entry }) => {
    const run = spawnSync("nmcli", ["--offline", "connection", "modify"], { input: entry.content, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const original = entry.content.toString("utf8");
    expect(original).toMatch(/^mac-address=fa:16:3e(:[0-9a-f]{2}){3}$/m);
    // NetworkManager writes the MAC in upper case and drops defaults (autoconnect=true); nothing else may change.
    expect(significant(run.stdout)).toEqual(significant(original));
  });

  it("really checks: a bad address is refused naming the property, a bad MAC is dropped (and the comparison sees it)", () => {
    const original = keyfiles[0].entry.content.toString("utf8");
    const badAddress = spawnSync("nmcli", ["--offline", "connection", "modify"], { input: original.replace(/^address1=.*$/m, "address1=300.1.1.1/24"), encoding: "utf8" });
    expect(badAddress.status).not.toBe(0);
    expect(badAddress.stderr).toContain("ipv4.addresses");
    const badMac = original.replace(/^mac-address=.*$/m, "mac-address=not-a-mac");
    const dropped = spawnSync("nmcli", ["--offline", "connection", "modify"], { input: badMac, encoding: "utf8" });
    expect(dropped.status).toBe(0);
    expect(significant(dropped.stdout)).not.toEqual(significant(badMac));
  });
});
