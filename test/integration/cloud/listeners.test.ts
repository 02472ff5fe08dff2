// Nothing of the local cloud listens beyond the loopback interface.
import { describe, expect, it } from "vitest";
import { readCloudSeed } from "@/test/cloud/seed";
import { cloudPids, recordedDaemons, tcpListeners } from "./processes";

describe("local cloud listeners", () => {
  it("bind 127.0.0.1 only (epmd adds ::1, which it always does), and include every catalog endpoint", () => {
    const daemons = recordedDaemons();
    expect([...daemons.keys()]).toEqual(expect.arrayContaining(["keystone", "neutron-server", "nova-api", "mariadb"]));
    const pids = cloudPids(daemons.values());
    const ours = tcpListeners().filter((l) => pids.has(l.pid));

    // epmd always adds the loopback addresses of both families to the one it is told to use (epmd(1));
    // ::1 is as local as 127.0.0.1, and is the only exception.
    const beyond = ours.filter((l) => l.address !== "127.0.0.1" && !(l.process === "epmd" && l.address === "::1"));
    expect(beyond).toEqual([]);

    const ports = new Set(ours.map((l) => l.port));
    const endpointPorts = Object.values(readCloudSeed().endpoints).map((url) => Number(new URL(url).port));
    expect(endpointPorts).toHaveLength(6);
    for (const port of endpointPorts) expect(ports).toContain(port);
  });
});
