import { describe, expect, it } from "vitest";
import { can, projectIdFilter, roleOnCluster, type Actor } from "@/lib/auth/policy";

const member: Actor = { id: "u1", username: "alice", role: "member", memberships: [{ projectId: "A", role: "member" }] };
const lead: Actor = { id: "u2", username: "lena", role: "lead", memberships: [{ projectId: "A", role: "lead" }] };
const admin: Actor = { id: "u3", username: "root", role: "admin", memberships: [] };

describe("authorization policy", () => {
  it("lets a member read and create only in their own projects", () => {
    expect(can(member, "cluster.read", { projectId: "A" })).toBe(true);
    expect(can(member, "cluster.create", { projectId: "A" })).toBe(true);
    for (const action of ["project.read", "cluster.read", "cluster.create", "cluster.teardown", "cluster.approve", "cloud.manage"] as const) {
      expect(can(member, action, { projectId: "B", createdById: member.id })).toBe(false);
    }
  });

  it("lets a member tear down their own cluster but not a colleague's; the lead may do both", () => {
    expect(can(member, "cluster.teardown", { projectId: "A", createdById: "u1" })).toBe(true);
    expect(can(member, "cluster.teardown", { projectId: "A", createdById: "someone-else" })).toBe(false);
    expect(can(lead, "cluster.teardown", { projectId: "A", createdById: "someone-else" })).toBe(true);
    expect(can(lead, "cluster.approve", { projectId: "A" })).toBe(true);
    expect(can(member, "cluster.approve", { projectId: "A" })).toBe(false);
  });

  it("names the actor's relation to a cluster for the state machine", () => {
    expect(roleOnCluster(member, { projectId: "A", createdById: "u1" })).toBe("owner");
    expect(roleOnCluster(member, { projectId: "A", createdById: "someone-else" })).toBe("member");
    expect(roleOnCluster(lead, { projectId: "A", createdById: "u1" })).toBe("lead");
    expect(roleOnCluster(admin, { projectId: "B", createdById: "u1" })).toBe("admin");
    expect(roleOnCluster(member, { projectId: "B", createdById: "u1" })).toBeNull();
  });

  it("gives oversight to leads, administration to admins only", () => {
    expect(can(member, "oversight.read")).toBe(false);
    expect(can(lead, "oversight.read")).toBe(true);
    expect(can(lead, "admin.read")).toBe(false);
    expect(can(admin, "admin.read")).toBe(true);
    expect(can(admin, "cluster.teardown", { projectId: "Z" })).toBe(true);
  });

  it("scopes queries to the actor's projects", () => {
    expect(projectIdFilter(member)).toEqual({ in: ["A"] });
    expect(projectIdFilter(member, "lead")).toEqual({ in: [] });
    expect(projectIdFilter(admin)).toBeUndefined();
  });
});
