import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { stateBanner } from "@/app/ui/cluster/banner";
import type { ClusterCloud, ClusterView } from "@/lib/data";

// The cluster page's state banner (app/ui/cluster/banner.tsx) from Tripod's records, and from the cloud's listing when there is one.

const present = (name: string) => ({ name, status: "present", openstackId: `id-${name}` });
const failedCreate = {
  kind: "create",
  status: "failed",
  steps: [
    { name: "preflight", status: "succeeded", startedAt: "2026-12-06T05:00:00.000Z", finishedAt: "2026-12-06T05:00:02.000Z" },
    { name: "control-plane", status: "failed", startedAt: "2026-12-06T05:03:00.000Z", finishedAt: "2026-12-06T05:09:00.000Z" },
  ],
};
const failedView = (over: Partial<ClusterView>) =>
  ({
    status: "failed",
    project: "team-a",
    operations: [failedCreate],
    teardownRequest: null,
    endpoints: null,
    leads: [],
    ports: [],
    vipPorts: [],
    otherResources: [],
    ...over,
  }) as unknown as ClusterView;
const bodyText = (view: ClusterView, cloud?: ClusterCloud) => renderToStaticMarkup(createElement(Fragment, null, stateBanner(view, cloud).body)).replace(/<[^>]+>/g, "");

describe("the state banner of a failed create", () => {
  it("counts what is still in the cloud by kind, in words", () => {
    const view = failedView({
      ports: [{ node: "master-0", cells: { outbound: present("p0"), cluster: present("p1"), management: null, public: null } }] as ClusterView["ports"],
      vipPorts: [{ ...present("api-vip"), label: "API VIP" }],
      otherResources: [
        { kind: "security-group", kindLabel: "Security group", ...present("sg-a") },
        { kind: "security-group", kindLabel: "Security group", ...present("sg-b") },
        { kind: "server-group", kindLabel: "Server group", ...present("masters") },
        { kind: "swift-container", kindLabel: "Swift container", ...present("ignition") },
        { kind: "server", kindLabel: "Server", ...present("bootstrap") },
        { kind: "server", kindLabel: "Server", name: "master-0", status: "deleted", openstackId: null },
      ],
    });
    expect(stateBanner(view, undefined).title).toBe("Failed: the create stopped at control-plane");
    expect(bodyText(view)).toMatch(/^Still in the cloud: 1 server, 3 ports, 2 security groups, 1 server group and 1 Swift container\. Choose: Retry create resumes at control-plane/);
  });

  it("counts servers, ports and security groups as the cloud lists them, and all as recorded while it cannot be read", () => {
    const view = failedView({
      ports: [{ node: "master-0", cells: { outbound: present("p0"), cluster: null, management: null, public: null } }] as ClusterView["ports"],
      otherResources: [
        { kind: "security-group", kindLabel: "Security group", ...present("sg-a") },
        { kind: "server", kindLabel: "Server", ...present("bootstrap") },
        { kind: "server", kindLabel: "Server", ...present("master-0") },
      ],
    });
    const cell = (name: string, neutronStatus: string | null) => ({ name, neutronStatus });
    const cloud = (over: Partial<ClusterCloud>): ClusterCloud =>
      ({
        source: "cloud",
        fetchedAt: "2026-12-06T05:10:00.000Z",
        apiCalls: 3,
        error: null,
        rows: [{ key: "master-0", cells: { outbound: cell("p0", "DOWN"), cluster: null, management: null, public: null } }],
        servers: [{ node: "master-0", name: "master-0", status: "ACTIVE", id: "s0" }, { node: "bootstrap", name: "bootstrap", status: "missing", id: null }],
        securityGroups: [],
        ...over,
      }) as unknown as ClusterCloud;
    // the cloud no longer lists the bootstrap server nor the security group
    expect(bodyText(view, cloud({}))).toMatch(/^Still in the cloud: 1 server and 1 port\. /);
    // Keystone down: what Tripod recorded, not "nothing"
    const unread = cloud({ source: "plan", fetchedAt: null, error: "The cloud could not be read just now: Keystone (ECONNREFUSED). Showing what Tripod recorded.", rows: [], servers: [] });
    expect(bodyText(view, unread)).toMatch(/^Still in the cloud: 2 servers, 1 port and 1 security group\. /);
  });

  it("says when nothing is left", () => {
    expect(bodyText(failedView({}))).toMatch(/^Nothing of it exists in the cloud\. Choose:/);
  });
});
