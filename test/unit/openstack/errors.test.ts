import { describe, expect, it } from "vitest";
import {
  errorFromResponse,
  isConflict,
  isNotFound,
  isQuotaExceeded,
  isRetryable,
  classifyError,
  cloudMessage,
  OpenStackError,
  parseErrorBody,
} from "@/lib/openstack/errors";

const req = { service: "network" as const, method: "POST", url: "http://127.0.0.1:9696/v2.0/ports" };

describe("error bodies of each service", () => {
  it("Neutron: NeutronError.type is the code, message kept", () => {
    const e = errorFromResponse(req, 409, JSON.stringify({ NeutronError: { type: "OverQuota", message: "Quota exceeded for resources: ['port'].", detail: "" } }));
    expect(e.kind).toBe("QuotaExceeded");
    expect(isQuotaExceeded(e)).toBe(true);
    expect(e.openstackCode).toBe("OverQuota");
    expect(e.openstackMessage).toBe("Quota exceeded for resources: ['port'].");
    expect(e).toMatchObject({ service: "network", method: "POST", url: req.url, status: 409 });
  });

  it("Neutron duplicate rule stays a Conflict with its type", () => {
    const e = errorFromResponse(req, 409, JSON.stringify({ NeutronError: { type: "SecurityGroupRuleExists", message: "Security group rule already exists. Rule id is x.", detail: "" } }));
    expect(isConflict(e)).toBe(true);
    expect(e.openstackCode).toBe("SecurityGroupRuleExists");
  });

  it("Nova: the envelope key is the code; a 403 quota message is QuotaExceeded", () => {
    const nova = { ...req, service: "compute" as const };
    const quota = errorFromResponse(nova, 403, JSON.stringify({ forbidden: { code: 403, message: "Quota exceeded for instances: Requested 1, but already used 6 of 6 instances" } }));
    expect(quota.kind).toBe("QuotaExceeded");
    expect(quota.openstackCode).toBe("forbidden");
    const policy = errorFromResponse(nova, 403, JSON.stringify({ forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed." } }));
    expect(policy.kind).toBe("Forbidden");
    const missing = errorFromResponse(nova, 404, JSON.stringify({ itemNotFound: { code: 404, message: "Instance abc could not be found." } }));
    expect(isNotFound(missing)).toBe(true);
    expect(missing.openstackMessage).toBe("Instance abc could not be found.");
  });

  it("Keystone: error.message and error.title", () => {
    expect(parseErrorBody(JSON.stringify({ error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" } }))).toEqual({
      message: "The request you have made requires authentication.",
      code: "Unauthorized",
    });
  });

  it("Swift and Glance: HTML or text, tags stripped", () => {
    expect(parseErrorBody("<html><h1>Not Found</h1><p>The resource could not be found.</p></html>").message).toBe(
      "Not Found The resource could not be found.",
    );
    expect(parseErrorBody("404 Not Found\n\nNo image found with ID x\n\n   ").message).toBe("404 Not Found No image found with ID x");
    expect(parseErrorBody("")).toEqual({});
  });

  it.each([
    [400, "BadRequest"],
    [401, "Unauthorized"],
    [403, "Forbidden"],
    [404, "NotFound"],
    [409, "Conflict"],
    [429, "RateLimited"],
    [500, "ServerError"],
    [503, "ServerError"],
    [418, "UnexpectedStatus"],
  ])("status %i → %s", (status, kind) => {
    expect(errorFromResponse(req, status, "").kind).toBe(kind);
  });
});

describe("isRetryable", () => {
  const make = (status: number) => errorFromResponse(req, status, "");
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [429, true],
    [400, false],
    [404, false],
    [409, false],
  ])("status %i → %s", (status, retry) => {
    expect(isRetryable(make(status))).toBe(retry);
  });

  it("no answer at all is retryable; a plain Error is not", () => {
    expect(isRetryable(new OpenStackError({ kind: "ConnectionFailed", service: "compute", method: "GET", url: "x" }))).toBe(true);
    expect(isRetryable(new Error("boom"))).toBe(false);
  });
});

describe("classifyError: what a lifecycle step stops on", () => {
  const at = (method: string, status: number, body: object, service: "network" | "compute" = "network") =>
    errorFromResponse({ service, method, url: `http://127.0.0.1:9696/v2.0/ports` }, status, JSON.stringify(body));
  const neutron = (type: string, message: string) => ({ NeutronError: { type, message, detail: "" } });

  it.each([
    ["400", at("POST", 400, neutron("HTTPBadRequest", "Invalid input")), "terminal"],
    ["401 after re-auth", at("GET", 401, { error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." } }), "terminal"],
    ["403", at("POST", 403, neutron("PolicyNotAuthorized", "rule:create_port is disallowed by policy")), "terminal"],
    ["404 on a create", at("POST", 404, neutron("NetworkNotFound", "Network x could not be found.")), "terminal"],
    ["Neutron quota", at("POST", 409, neutron("OverQuota", "Quota exceeded for resources: ['port'].")), "terminal"],
    ["Nova quota", at("POST", 403, { forbidden: { code: 403, message: "Quota exceeded for instances: Requested 4, but already used 8 of 10 instances" } }, "compute"), "terminal"],
    ["image gone", at("POST", 400, { badRequest: { code: 400, message: "Image abc could not be found." } }, "compute"), "terminal"],
    ["501", at("GET", 501, {}), "terminal"],
    ["503", at("POST", 503, {}), "retryable"],
    ["500", at("GET", 500, {}), "retryable"],
    ["409 conflict", at("DELETE", 409, neutron("InUse", "Port in use")), "retryable"],
    ["429", at("POST", 429, {}), "retryable"],
    ["404 on a read", at("GET", 404, neutron("PortNotFound", "Port x could not be found.")), "retryable"],
  ] as const)("%s → %s", (_name, error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });

  it("no answer and server faults: retry the first, stop on the second", () => {
    expect(classifyError(new OpenStackError({ kind: "ConnectionFailed", service: "compute", method: "GET", url: "http://x/servers" }))).toBe("retryable");
    const noValidHost = new OpenStackError(
      { kind: "ResourceFailed", service: "compute", method: "GET", url: "http://x/servers/1", openstackMessage: "No valid host was found." },
      "Server b-bootstrap (1) went to ERROR: No valid host was found.",
    );
    expect(classifyError(noValidHost)).toBe("terminal");
    expect(cloudMessage(noValidHost)).toBe("Server b-bootstrap (1) went to ERROR: No valid host was found.");
    expect(classifyError(new Error("a bug"))).toBe("retryable");
  });

  it("says what the cloud said", () => {
    expect(cloudMessage(at("POST", 403, neutron("PolicyNotAuthorized", "rule:create_port is disallowed by policy")))).toBe(
      "network refused POST /v2.0/ports: 403 rule:create_port is disallowed by policy",
    );
  });
});
