// The smoke cycle of the local cloud (test/cloud/smoke.sh) passes: Keystone token + catalog, application
// credential, ports with allowed-address-pairs and tags, a VRRP security-group rule, a Swift temp URL fetched
// without a token, a Glance image, 4 servers ACTIVE on pre-created ports, everything deleted.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("local cloud smoke cycle", () => {
  it("runs every phase and leaves nothing behind", { timeout: 10 * 60_000 }, () => {
    const run = spawnSync("bash", ["test/cloud/smoke.sh"], { encoding: "utf8", timeout: 10 * 60_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    for (const phase of ["seeds", "keystone", "neutron", "swift", "glance", "nova", "delete"]) {
      expect(output).toMatch(new RegExp(`\\] ${phase} +[0-9.]+s`));
    }
    expect(output).toContain("temp URL fetched without a token");
    expect(output).toContain("4 servers ACTIVE on 16 pre-created ports");
    expect(output).toMatch(/SMOKE OK in [0-9.]+s/);
  });
});
