import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  type IgnitionConfig,
  InvalidRenderInputError,
  loadFakeroot,
  NOVA_USER_DATA_LIMIT,
  renderNodeConfigs,
  pointerConfig,
  renderNodeTree,
  serializeConfig,
  sha512Hex,
  userDataBytes,
} from "@/lib/ignition";
import { NODE_NAMES } from "@/lib/domain";
import { demoRenderInput, fileContent, ignitionValidate, tempDir, thrownBy } from "./helpers";

const GOLDEN_DIR = "test/fixtures/golden";
const POINTER_URL = "https://swift.tripod.test:8080/v1/AUTH_demo/demo-4x7kq-ignition/bootstrap.ign";
// The VIP agent's files (tripod-vrrp-*) belong to the VIP-health work and change with it: the golden files leave
// them out, and a separate test checks that they are picked up.
const isVipAgentEntry = (entryPath: string) => entryPath.includes("tripod-vrrp");

function withoutVipAgent(config: IgnitionConfig): IgnitionConfig {
  const storage = config.storage ?? {};
  return {
    ...config,
    storage: {
      ...storage,
      files: storage.files?.filter((f) => !isVipAgentEntry(f.path)),
      links: storage.links?.filter((l) => !isVipAgentEntry(l.path)),
    },
  };
}

const configs = renderNodeConfigs(demoRenderInput());

/** A reviewable rendering of a node's files (the golden .ign files are one line of base64). */
function readableFiles(config: IgnitionConfig): string {
  const sections = (config.storage?.files ?? [])
    .filter((f) => !isVipAgentEntry(f.path))
    .map((f) => `=== ${f.path} (${(f.mode ?? 0o644).toString(8).padStart(4, "0")})\n${fileContent(config, f.path)}`);
  const links = (config.storage?.links ?? []).filter((l) => !isVipAgentEntry(l.path)).map((l) => `=== ${l.path} -> ${l.target}\n`);
  return [...sections, ...links].join("");
}

describe("demo spec golden files", () => {
  const outputs: Record<string, string> = Object.fromEntries(
    NODE_NAMES.flatMap((node) => [
      [`${node}.ign`, serializeConfig(withoutVipAgent(configs[node]))],
      [`${node}.files.txt`, readableFiles(configs[node])],
    ]),
  );
  outputs["bootstrap-pointer.ign"] = serializeConfig(pointerConfig({ url: POINTER_URL, sha512: sha512Hex(serializeConfig(configs.bootstrap)), caBundle: demoRenderInput().spec.caBundle }));
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    for (const [file, text] of Object.entries(outputs)) {
      // The pointer hashes the full bootstrap config, VIP agent included: only the other files are golden.
      if (file !== "bootstrap-pointer.ign") writeFileSync(path.join(GOLDEN_DIR, file), `${text}\n`);
    }
  }
  const goldenFiles = NODE_NAMES.flatMap((n) => [`${n}.ign`, `${n}.files.txt`]);
  it.each(goldenFiles)("%s matches its golden file byte for byte", (file) => {
    expect(`${outputs[file]}\n`).toBe(readFileSync(path.join(GOLDEN_DIR, file), "utf8"));
  });
  it("has exactly the golden files", () => {
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual([...goldenFiles].sort());
  });
});

describe("determinism", () => {
  it("gives identical bytes when generated twice from a fresh fakeroot read", () => {
    const again = renderNodeConfigs(demoRenderInput(), loadFakeroot("fakeroot"));
    for (const node of NODE_NAMES) expect(serializeConfig(again[node])).toBe(serializeConfig(configs[node]));
  });

  it("the CLI writes identical files on two runs, all accepted by ignition-validate", () => {
    const runs = [tempDir("cli-a"), tempDir("cli-b")].map((dir) => {
      const cli = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "lib/cli/generate-ignition.ts", "test/fixtures/demo-spec.json", dir, "--bootstrap-url", POINTER_URL], { encoding: "utf8" });
      expect(cli.status, cli.stderr).toBe(0);
      return dir;
    });
    const files = readdirSync(runs[0]).sort();
    expect(files).toEqual(["bootstrap-pointer.ign", "bootstrap.ign", "master-0.ign", "master-1.ign", "master-2.ign"]);
    for (const file of files) {
      const text = readFileSync(path.join(runs[0], file), "utf8");
      expect(readFileSync(path.join(runs[1], file), "utf8")).toBe(text);
      expect(ignitionValidate(text), file).toEqual({ ok: true, output: "" });
    }
  }, 60_000);
});

describe("generated configs", () => {
  const variants: [string, (s: Record<string, any>) => void][] = [
    ["nmkeyfile (demo)", () => {}],
    ["ifcfg", (s) => (s.networkConfigStyle = "ifcfg")],
    ["legacy mdns-publisher", (s) => (s.mdnsPublisher = true)],
    ["renamed NICs, allocated IPs", (s) => {
      ["eth0", "eth1", "eth2", "eth3"].forEach((nic, i) => (s.networks[["outbound", "cluster", "management", "public"][i]].interface = nic));
      delete s.networks.cluster.ips;
      delete s.networks.public.ips;
    }],
  ];
  it.each(variants)("%s: every node's config passes ignition-validate", (_label, change) => {
    const variant = renderNodeConfigs(demoRenderInput(change));
    for (const node of NODE_NAMES) expect(ignitionValidate(variant[node]), node).toEqual({ ok: true, output: "" });
  });

  it("makes every shell script and /usr/local/bin file executable, and nothing else world-writable", () => {
    for (const node of NODE_NAMES) {
      for (const file of configs[node].storage?.files ?? []) {
        if (file.path.endsWith(".sh") || file.path.startsWith("/usr/local/bin/")) expect([0o755, 0o700, 0o555, 0o365], file.path).toContain(file.mode);
        expect((file.mode ?? 0) & 0o002, file.path).toBe(0);
      }
    }
  });

  it("keeps masters within Nova user data (the bootstrap goes through the pointer)", () => {
    for (const node of ["master-0", "master-1", "master-2"] as const) expect(userDataBytes(configs[node])).toBeLessThan(NOVA_USER_DATA_LIMIT);
  });

  it("keeps the installer config: master pointer to the MCS, bootstrap files and units", () => {
    const master = configs["master-0"].ignition as Record<string, any>;
    expect(master.config.merge[0].source).toBe("https://api-int.demo.tripod.test:22623/config/master");
    expect(configs.bootstrap.storage?.files?.some((f) => f.path === "/usr/local/bin/bootkube.sh")).toBe(true);
    expect((configs.bootstrap.systemd as { units: unknown[] }).units).toHaveLength(4);
  });

  it("adds the spec's SSH key to core once", () => {
    const key = demoRenderInput().spec.sshKey;
    for (const node of NODE_NAMES) {
      const users = (configs[node].passwd as { users: { name: string; sshAuthorizedKeys: string[] }[] }).users;
      expect(users.filter((u) => u.name === "core").flatMap((u) => u.sshAuthorizedKeys).filter((k) => k === key)).toHaveLength(1);
    }
  });

  it("picks up the VIP agent's files from fakeroot/all on every node", () => {
    const agentFiles = readdirSync("fakeroot/all", { recursive: true }).map(String).filter((p) => p.includes("tripod-vrrp"));
    if (agentFiles.length === 0) return; // the VIP-health work has not added its files yet
    for (const node of NODE_NAMES) {
      const paths = [...(configs[node].storage?.files ?? []), ...(configs[node].storage?.links ?? [])].map((e) => e.path);
      expect(paths.filter(isVipAgentEntry).length).toBeGreaterThan(0);
    }
  });

  it("writes the network config of the chosen style", () => {
    const ifcfg = renderNodeConfigs(demoRenderInput((s) => (s.networkConfigStyle = "ifcfg")))["master-1"];
    const dir = "/etc/sysconfig/network-scripts/";
    const names = (ifcfg.storage?.files ?? []).filter((f) => f.path.startsWith(dir)).map((f) => f.path.slice(dir.length));
    expect(names).toEqual(["ifcfg-ens3", "ifcfg-ens4", "ifcfg-ens5", "ifcfg-ens6", "route-ens4", "route-ens5", "route-ens6", "rule-ens6"]);
    expect(fileContent(ifcfg, `${dir}ifcfg-ens3`)).toMatch(/IPADDR=198\.18\.10\.22\nPREFIX=24\n[\s\S]*GATEWAY=198\.18\.10\.1\nDEFROUTE=yes\nDNS1=198\.18\.20\.22\nDNS2=198\.18\.10\.1/);
    expect(fileContent(ifcfg, `${dir}route-ens5`)).toContain("198.18.130.0/24 via 198.18.30.1 dev ens5");
    expect(fileContent(ifcfg, `${dir}rule-ens6`)).toBe("from 198.18.40.0/24 table 100 priority 100\n");
    const nm = configs["master-1"];
    expect(fileContent(nm, "/etc/NetworkManager/system-connections/ens6.nmconnection")).toContain("routing-rule1=priority 100 from 198.18.40.0/24 table 100");
    expect(nm.storage?.files?.find((f) => f.path.endsWith("ens6.nmconnection"))?.mode).toBe(0o600);
    expect(fileContent(nm, "/etc/systemd/system/kubelet.service.d/80-nodeip.conf")).toContain('KUBELET_NODE_IP=198.18.20.22"');
  });

  it("refuses bad render settings naming the field", () => {
    const input = demoRenderInput();
    const bad = { ...input, vrrp: { apiId: 7, ingressId: 7, authPass: "ninechars" } };
    const caught = thrownBy(() => renderNodeConfigs(bad));
    expect(caught).toBeInstanceOf(InvalidRenderInputError);
    expect((caught as InvalidRenderInputError).problems.map((p) => p.path).sort()).toEqual(["vrrp.authPass", "vrrp.ingressId"]);
  });
});

describe("keepalived.conf content", () => {
  const conf = (node: (typeof NODE_NAMES)[number]) => fileContent(configs[node], "/etc/keepalived/keepalived.conf");
  it("bootstrap: API instances only, priority above any master's while its own API is ready, peers are the masters", () => {
    const text = conf("bootstrap");
    expect(text.match(/vrrp_instance (\S+)/g)).toEqual(["vrrp_instance demo_API", "vrrp_instance demo_API_INT"]);
    expect(text.match(/priority 70/g)).toHaveLength(2);
    expect(text).toMatch(/unicast_peer {\s+198\.18\.40\.21\s+198\.18\.40\.22\s+198\.18\.40\.23\s+}/);
    // no weight: a failing check is FAULT, which hands the VIPs to the masters
    expect(text).toMatch(/vrrp_script chk_bootstrap_api {[^}]*interval 1[^}]*}/);
    expect(text).not.toMatch(/vrrp_script chk_bootstrap_api {[^}]*weight/);
    expect(text.match(/track_script {\s+chk_bootstrap_api\s+}/g)).toHaveLength(2);
    // the bootstrap runs no OVN-Kubernetes: its internal VIP sits on the Cluster NIC itself
    expect(text).toContain("198.18.20.5/32 dev ens4");
    expect(fileContent(configs.bootstrap, "/etc/keepalived/chk_bootstrap_api.sh")).toContain("https://localhost:6443/readyz");
  });
  it("masters: internal API VIP on br-ex (the Cluster network), unicast between the Cluster IPs, its own router id", () => {
    const text = conf("master-0");
    expect(text).toMatch(/demo_API_INT {\s+state BACKUP\s+interface br-ex\s+virtual_router_id 53\s+priority 40/);
    expect(text).toMatch(/demo_API_INT {[\s\S]*unicast_src_ip 198\.18\.20\.21\s+unicast_peer {\s+198\.18\.20\.20\s+198\.18\.20\.22\s+198\.18\.20\.23\s+}/);
    expect(text).toContain("198.18.20.5/32 dev br-ex");
  });
  it("masters: API and INGRESS on the Public NIC, unicast without self, notify hook, no sync group", () => {
    const text = conf("master-2");
    expect(text.match(/vrrp_instance (\S+)/g)).toEqual(["vrrp_instance demo_API", "vrrp_instance demo_API_INT", "vrrp_instance demo_INGRESS"]);
    expect(text.match(/interface ens6/g)).toHaveLength(2);
    expect(text).toContain("198.18.40.5/32 dev ens6");
    expect(text).toContain("198.18.40.6/32 dev ens6");
    expect(text.match(/unicast_src_ip 198\.18\.40\.23/g)).toHaveLength(2);
    expect(text).toMatch(/demo_INGRESS {[\s\S]*unicast_peer {\s+198\.18\.40\.21\s+198\.18\.40\.22\s+}/);
    expect(text.match(/notify "\/etc\/keepalived\/tripod-vrrp-notify\.sh"/g)).toHaveLength(3);
    expect(text).not.toContain("vrrp_sync_group");
    expect(text).toContain("virtual_router_id 51");
    expect(text).toContain("virtual_router_id 52");
    // Highest master API priority: 40 + 20 + 5 + 3 = 68 < 70.
    const weights = [...text.matchAll(/vrrp_script chk_(ocp_lb|ocp_both|mcs) {[^}]*weight (\d+)/g)].map((m) => Number(m[2]));
    expect(40 + weights.reduce((a, b) => a + b, 0)).toBeLessThan(70);
  });
  it("CoreDNS answers api, api-int and *.apps with the VIPs and knows the nodes", () => {
    const corefile = fileContent(configs["master-0"], "/etc/kubernetes/static-pod-resources/coredns/Corefile");
    expect(corefile).toContain("match ^api\\.demo\\.tripod\\.test\\.?$");
    expect(corefile).toContain('answer "{{ .Name }} 60 IN A 198.18.40.5"');
    // api-int: the internal API VIP on the Cluster network
    expect(corefile).toMatch(/match \^api-int\\\.demo\\\.tripod\\\.test\\\.\?\$\s+answer "\{\{ \.Name \}\} 60 IN A 198\.18\.20\.5"/);
    expect(corefile).toContain('answer "{{ .Name }} 60 IN A 198.18.40.6"');
    expect(corefile).toContain("198.18.20.21 master-0 master-0.demo.tripod.test");
    expect(corefile).toContain("forward . 198.18.10.1");
  });
  it("leaves haproxy off the bootstrap", () => {
    expect(configs.bootstrap.storage?.files?.some((f) => f.path.includes("haproxy"))).toBe(false);
    expect(existsSync("fakeroot/master/etc/kubernetes/manifests/haproxy.yaml.hbs")).toBe(true);
  });
});

describe("NIC configs bound to their port's MAC", () => {
  const roles = ["outbound", "cluster", "management", "public"] as const;
  it.each(["nmkeyfile", "ifcfg"] as const)("%s: every NIC config of every node names its own port's MAC", (style) => {
    const input = demoRenderInput((s) => (s.networkConfigStyle = style));
    for (const node of NODE_NAMES) {
      const tree = renderNodeTree(input, node);
      for (const role of roles) {
        const nic = input.spec.networks[role].interface;
        const file = style === "nmkeyfile" ? `/etc/NetworkManager/system-connections/${nic}.nmconnection` : `/etc/sysconfig/network-scripts/ifcfg-${nic}`;
        const entry = tree.find((e) => e.path === file);
        if (entry?.kind !== "file") throw new Error(`${node}: no ${file}`);
        const line = style === "nmkeyfile" ? `mac-address=${input.macs[node][role]}` : `HWADDR=${input.macs[node][role]}`;
        expect(entry.content.toString("utf8").split("\n"), `${node} ${file}`).toContain(line);
      }
    }
  });

  it("refuses render settings without every port's MAC, naming the missing one", () => {
    const input = demoRenderInput();
    const { public: _dropped, ...rest } = input.macs["master-1"];
    const caught = thrownBy(() => renderNodeConfigs({ ...input, macs: { ...input.macs, "master-1": rest as typeof input.macs["master-1"] } }));
    expect(caught).toBeInstanceOf(InvalidRenderInputError);
    expect((caught as InvalidRenderInputError).problems.map((p) => p.path)).toEqual(["macs.master-1.public"]);
  });
});
