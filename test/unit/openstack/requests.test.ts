import { describe, expect, it } from "vitest";
import { toAuthRequestBody } from "@/lib/openstack/keystone/tokens/requests";
import { identityV3Root } from "@/lib/openstack/keystone/tokens/urls";
import { toPortCreateBody, toPortListQuery, toPortUpdateBody } from "@/lib/openstack/neutron/ports/requests";
import { sameRule, toRuleCreateBody } from "@/lib/openstack/neutron/security-group-rules/requests";
import type { SecurityGroupRule } from "@/lib/openstack/neutron/security-group-rules/results";
import { toServerGroupCreateBody } from "@/lib/openstack/nova/server-groups/requests";
import { toServerGroup } from "@/lib/openstack/nova/server-groups/results";
import { exactNameRegex, toServerCreateBody } from "@/lib/openstack/nova/servers/requests";
import { negotiate } from "@/lib/openstack/nova/versions/requests";
import { toQueryString } from "@/lib/openstack/query";

describe("Keystone auth bodies", () => {
  it("password, project-scoped by name with domains", () => {
    expect(
      toAuthRequestBody({ type: "password", username: "demo", password: "pw", userDomainName: "tripod", projectName: "demo", projectDomainName: "tripod" }),
    ).toEqual({
      auth: {
        identity: { methods: ["password"], password: { user: { name: "demo", domain: { name: "tripod" }, password: "pw" } } },
        scope: { project: { name: "demo", domain: { name: "tripod" } } },
      },
    });
  });

  it("application credential by id carries no scope", () => {
    expect(toAuthRequestBody({ type: "application_credential", applicationCredentialId: "id1", applicationCredentialSecret: "s" })).toEqual({
      auth: { identity: { methods: ["application_credential"], application_credential: { id: "id1", secret: "s" } } },
    });
  });

  it("the v3 root is found with or without /v3", () => {
    expect(identityV3Root("http://k:5000")).toBe("http://k:5000/v3");
    expect(identityV3Root("http://k:5000/v3/")).toBe("http://k:5000/v3");
  });
});

describe("Neutron port bodies and queries", () => {
  it("keeps fixed IPs in order and leaves unset fields out", () => {
    expect(
      toPortCreateBody({
        networkId: "n",
        name: "p",
        fixedIps: [{ subnetId: "s1", ipAddress: "10.0.0.5" }, { subnetId: "s2" }],
        allowedAddressPairs: [{ ipAddress: "10.0.0.250" }, { ipAddress: "10.0.0.251/32", macAddress: "fa:16:3e:00:00:01" }],
        securityGroups: ["sg"],
        portSecurityEnabled: true,
      }),
    ).toEqual({
      network_id: "n",
      name: "p",
      fixed_ips: [{ subnet_id: "s1", ip_address: "10.0.0.5" }, { subnet_id: "s2" }],
      allowed_address_pairs: [{ ip_address: "10.0.0.250" }, { ip_address: "10.0.0.251/32", mac_address: "fa:16:3e:00:00:01" }],
      security_groups: ["sg"],
      port_security_enabled: true,
    });
  });

  it("an update sends only what is set; an empty list clears", () => {
    expect(toPortUpdateBody({ allowedAddressPairs: [], portSecurityEnabled: false })).toEqual({ allowed_address_pairs: [], port_security_enabled: false });
  });

  it("tag filters are comma lists under Neutron's names", () => {
    expect(toQueryString(toPortListQuery({ tags: ["a", "b"], tagsAny: ["c"], notTags: ["d"], notTagsAny: ["e", "f"], deviceId: "srv" }))).toBe(
      "?tags=a%2Cb&tags-any=c&not-tags=d&not-tags-any=e%2Cf&device_id=srv",
    );
  });
});

describe("security group rules", () => {
  const stored: SecurityGroupRule = {
    id: "r",
    securityGroupId: "sg",
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: 6443,
    portRangeMax: 6443,
    remoteIpPrefix: "10.0.0.0/24",
    remoteGroupId: null,
    description: "",
  };
  it("a single port fills both ends of the range on the stored rule", () => {
    expect(sameRule(stored, { securityGroupId: "sg", direction: "ingress", protocol: "tcp", portRangeMin: 6443, remoteIpPrefix: "10.0.0.0/24" })).toBe(true);
    expect(sameRule(stored, { securityGroupId: "sg", direction: "ingress", protocol: "udp", portRangeMin: 6443, remoteIpPrefix: "10.0.0.0/24" })).toBe(false);
  });
  it("VRRP by name; IPv4 by default", () => {
    expect(toRuleCreateBody({ securityGroupId: "sg", direction: "ingress", protocol: "vrrp", remoteIpPrefix: "198.18.40.0/24" })).toEqual({
      security_group_id: "sg",
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "vrrp",
      remote_ip_prefix: "198.18.40.0/24",
    });
  });
});

describe("Nova", () => {
  it("negotiates min(client, server, cap) and refuses when the server is too new", () => {
    expect(negotiate("2.93", "2.1")).toBe("2.90");
    expect(negotiate("2.60", "2.1")).toBe("2.60");
    expect(negotiate("2.93", "2.1", "2.15")).toBe("2.15");
    expect(negotiate("", "")).toBe("2.1");
    expect(() => negotiate("3.5", "3.0")).toThrow(/microversions/);
  });

  it("server create: ports in NIC order, base64 user data, group hint; tags only from 2.52", () => {
    const opts = { name: "m0", imageId: "img", flavorId: "fl", portIds: ["p-out", "p-cluster", "p-mgmt", "p-public"], userData: "{\"ignition\":{}}", metadata: { tripod_cluster: "c1" }, tags: ["c1"], serverGroupId: "g" };
    const body = toServerCreateBody(opts, "2.90") as { server: Record<string, unknown> };
    expect(body.server.networks).toEqual([{ port: "p-out" }, { port: "p-cluster" }, { port: "p-mgmt" }, { port: "p-public" }]);
    expect(Buffer.from(body.server.user_data as string, "base64").toString()).toBe("{\"ignition\":{}}");
    expect(body).toMatchObject({ "os:scheduler_hints": { group: "g" }, server: { metadata: { tripod_cluster: "c1" }, tags: ["c1"] } });
    expect((toServerCreateBody(opts, "2.51") as { server: Record<string, unknown> }).server.tags).toBeUndefined();
  });

  it("server groups: `policy` + rules from 2.64, `policies` before, soft policies need 2.15", () => {
    expect(toServerGroupCreateBody({ name: "g", policy: "anti-affinity", maxServerPerHost: 1 }, "2.64")).toEqual({
      server_group: { name: "g", policy: "anti-affinity", rules: { max_server_per_host: 1 } },
    });
    expect(toServerGroupCreateBody({ name: "g", policy: "soft-anti-affinity" }, "2.15")).toEqual({ server_group: { name: "g", policies: ["soft-anti-affinity"] } });
    expect(() => toServerGroupCreateBody({ name: "g", policy: "soft-anti-affinity" }, "2.14")).toThrow(/2\.15/);
    expect(toServerGroup({ id: "1", name: "g", policies: ["anti-affinity"], members: ["a"] })).toMatchObject({ policy: "anti-affinity", memberIds: ["a"] });
  });

  it("exact name filter escapes the regular expression", () => {
    expect(exactNameRegex("tripod-a.b(1)")).toBe("^tripod-a\\.b\\(1\\)$");
  });
});
