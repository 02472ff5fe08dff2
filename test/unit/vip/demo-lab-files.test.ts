import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateClusterSpec, type ClusterSpec } from "@/lib/cluster-spec";
import { derivedMacs, pointerConfig, renderNodeConfig, serializeConfig, sha512Hex, type RenderInput } from "@/lib/ignition";
import { addressMap, fileBytes, ignitionOf, mapText } from "../../vrrp/lab/demo-files";

// The demo lab reads a server's user data as Ignition would and moves the cluster's addresses into the lab's
// 198.51.100.0/24: what it starts must be exactly Tripod's rendered files, at the lab's addresses.

const checked = validateClusterSpec(JSON.parse(readFileSync("test/fixtures/demo-spec.json", "utf8")));
if (!checked.ok) throw new Error("demo spec invalid");
const spec: ClusterSpec = checked.spec;
const input: RenderInput = {
  spec,
  vrrp: { apiId: 41, ingressId: 42, apiIntId: 43, authPass: "abcd1234" },
  vipAgent: { ingestUrl: "http://198.51.100.100:8080/api/vrrp/ingest", secret: "s".repeat(64), clusterId: "c1" },
  infraId: "demo-x1",
  macs: derivedMacs("demo-x1"),
};
const userData = (config: unknown) => Buffer.from(serializeConfig(config as never)).toString("base64");
const filesOf = async (data: string) => Object.fromEntries(((await ignitionOf(data)).storage?.files ?? []).map((f) => [f.path, fileBytes(f).toString("utf8")]));

let served = "";
const server = http.createServer((_req, res) => res.end(served));
let url = "";
beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => ((url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bootstrap.ign`), resolve()))));
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("the demo lab's node files", () => {
  it("a master's user data gives its rendered keepalived, haproxy and redirect files, at the lab's addresses", async () => {
    const map = addressMap(spec);
    const files = await filesOf(userData(renderNodeConfig(input, "master-1")));
    const keepalived = mapText(files["/etc/keepalived/keepalived.conf"], map);
    expect(keepalived).toContain("unicast_src_ip 198.51.100.22"); // Public 198.18.40.22
    expect(keepalived).toContain("unicast_src_ip 198.51.100.150"); // Cluster 198.18.20.22
    expect(keepalived).toContain("198.51.100.5/32 dev ens6"); // the API VIP
    expect(keepalived).toContain("198.51.100.6/32 dev ens6"); // the Ingress VIP
    expect(keepalived).toContain("198.51.100.133/32 dev br-ex"); // api-int
    const haproxy = mapText(files["/etc/kubernetes/static-pod-resources/haproxy/haproxy.cfg"], map);
    expect(haproxy).toMatch(/server master-0 198\.51\.100\.149:6443/);
    expect(mapText(files["/etc/sysconfig/tripod-api-redirect"], map)).toContain('TRIPOD_API_VIPS="198.51.100.5 198.51.100.133"');
    expect(files["/etc/sysconfig/tripod-vrrp-agent"]).toContain("TRIPOD_VRRP_INGEST_URL=http://198.51.100.100:8080/api/vrrp/ingest");
    for (const text of [keepalived, haproxy]) expect(text).not.toMatch(/198\.18\.(20|40)\./);
  });

  it("the bootstrap's pointer is followed and its hash checked", async () => {
    const full = serializeConfig(renderNodeConfig(input, "bootstrap"));
    const pointer = userData(pointerConfig({ url, sha512: sha512Hex(full) }));
    served = full;
    expect(await filesOf(pointer)).toHaveProperty("/etc/keepalived/chk_bootstrap_api.sh");
    served = full.replace("chk_bootstrap_api", "chk_bootstrap_apx");
    await expect(ignitionOf(pointer)).rejects.toThrow("hash mismatch");
  });

  it("moves only Public and Cluster addresses, and refuses one that has no place in the lab", () => {
    const map = addressMap(spec);
    expect(map("198.18.30.21")).toBe("198.18.30.21"); // Management: not in the lab
    expect(map("198.51.100.100")).toBe("198.51.100.100"); // the lab client's ingest address stays
    expect(() => map("198.18.40.200")).toThrow("host part 200");
    expect(() => map("198.18.20.72")).toThrow("not the lab client's"); // would be the client's 198.51.100.200
  });
});
