import { describe, expect, it } from "vitest";
import { counted, listed, operationAt } from "@/app/ui/words";

describe("counts and lists in the pages' sentences", () => {
  it("count a noun, one or many", () => {
    expect(counted(0, "cluster")).toBe("0 clusters");
    expect(counted(1, "cluster")).toBe("1 cluster");
    expect(counted(2, "security group")).toBe("2 security groups");
    expect(counted(1, "needs approval", "need approval")).toBe("1 needs approval");
    expect(counted(3, "needs approval", "need approval")).toBe("3 need approval");
  });

  it("list names with 'or' or 'and' before the last", () => {
    expect(listed([], "or")).toBe("");
    expect(listed(["lena"], "or")).toBe("lena");
    expect(listed(["lena", "bob"], "or")).toBe("lena or bob");
    expect(listed(["2 servers", "4 ports", "1 server group"], "and")).toBe("2 servers, 4 ports and 1 server group");
  });

  it("say an operation with its running step, or the step where it stopped", () => {
    expect(operationAt({ kind: "create", status: "running", step: "ports" })).toBe("create running (ports)");
    expect(operationAt({ kind: "create", status: "failed", step: "ports" })).toBe("create failed at ports");
    expect(operationAt({ kind: "teardown", status: "cancelled", step: "servers" })).toBe("teardown cancelled at servers");
    expect(operationAt({ kind: "create", status: "queued", step: null })).toBe("create queued");
    expect(operationAt({ kind: "teardown", status: "succeeded", step: null })).toBe("teardown succeeded");
  });
});
