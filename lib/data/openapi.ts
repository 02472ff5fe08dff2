// The automation API described for its users and their tools (OpenAPI 3.1), served at /api/v1/openapi.json.

const error = { type: "object", properties: { error: { type: "string" }, errors: { type: "object", additionalProperties: { type: "string" } } }, required: ["error"] };
const json = (schema: object) => ({ "application/json": { schema } });
const answer = (description: string, schema: object = error) => ({ description, content: json(schema) });
const id = (name: string, what: string) => ({ name, in: "path", required: true, description: what, schema: { type: "string" } });
/** Every route may answer this while the database restarts (lib/db-errors.ts). */
const unavailable = {
  "503": answer("The database is unavailable (restarting, failing over): nothing was changed; try again after Retry-After (5 s)."),
};
const refusals = {
  "401": answer("No valid API token (missing, unknown or revoked, or its user is disabled)."),
  "404": answer("No such thing, or one of a project the token's user is not in."),
  ...unavailable,
};

const step = {
  type: "object",
  properties: {
    name: { type: "string" },
    status: { type: "string", enum: ["pending", "running", "succeeded", "failed", "cancelled"] },
    attempt: { type: "integer" },
    apiCalls: { type: "integer" },
    startedAt: { type: ["string", "null"], format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
    error: { type: ["string", "null"] },
  },
};
const operation = {
  type: "object",
  properties: {
    id: { type: "string" },
    clusterId: { type: "string" },
    kind: { type: "string", enum: ["create", "teardown", "bootstrap-teardown"] },
    status: { type: "string", enum: ["queued", "running", "succeeded", "failed", "cancelled"] },
    requestedBy: { type: "string" },
    approvedBy: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
    finishedAt: { type: ["string", "null"], format: "date-time" },
    error: { type: ["string", "null"] },
    cancelRequested: { type: "boolean" },
    steps: { type: "array", items: step },
  },
};
const clusterSummary = {
  type: "object",
  properties: { id: { type: "string" }, name: { type: "string" }, project: { type: "string" }, status: { type: "string" }, createdBy: { type: "string" }, createdAt: { type: "string", format: "date-time" },
    operation: {
      type: ["object", "null"],
      description: "The latest operation and its progress (steps done of total).",
      properties: { kind: { type: "string" }, status: { type: "string" }, step: { type: ["string", "null"], description: "The running step; of a failed or cancelled operation, the step where it stopped." }, done: { type: "integer" }, total: { type: "integer" } },
    },
  },
};
const started = { type: "object", properties: { operationId: { type: "string" }, url: { type: "string", description: "The operation's status." } }, required: ["operationId"] };
const badId = answer("The id is not an id (over 64 characters).");

export const OPENAPI = {
  openapi: "3.1.0",
  info: {
    title: "Tripod automation API",
    version: "1",
    description:
      "Create and tear down 3-node OpenShift clusters on OpenStack from scripts. Authenticate with a personal API token (Account → API tokens): `Authorization: Bearer tripod_…`. The token acts with its user's rights.",
  },
  servers: [{ url: "/" }],
  security: [{ token: [] }],
  components: { securitySchemes: { token: { type: "http", scheme: "bearer", description: "A personal API token (tripod_…)." } } },
  paths: {
    "/api/v1/clusters": {
      get: { summary: "The clusters the token's user may see", responses: { "200": answer("A page of clusters, newest first (query: page, size 10|20|50|100 (20 unless asked), sort created|name|status, dir asc|desc, status (or cancelled), q = name prefix, projectId, deleted=1 to include deleted clusters).", {
            type: "object",
            properties: {
              clusters: { type: "array", items: clusterSummary },
              page: { type: "object", properties: { total: { type: "integer" }, page: { type: "integer" }, size: { type: "integer" }, pages: { type: "integer" } } },
            },
          }), "400": answer("A filter that is not valid (status, projectId, q, deleted): the field errors name it."), "401": refusals["401"], ...unavailable } },
      post: {
        summary: "Draft a cluster from a spec (nothing is created in the cloud yet)",
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["projectId", "cloudId", "spec"],
            properties: {
              projectId: { type: "string" },
              cloudId: { type: "string" },
              spec: { type: "object", description: "The cluster spec (see README: The cluster spec; test/fixtures/demo-spec.json)." },
              kubeconfig: { type: "string", description: "The installer's auth/kubeconfig, for the bootstrap-complete wait." },
            },
          }),
        },
        responses: {
          "201": answer("Drafted.", { type: "object", properties: { id: { type: "string" }, url: { type: "string" } } }),
          "400": answer("Field errors (a body that is not JSON: `body`, with its line and column): nothing was saved."),
          "413": answer("A body over 4 MiB: nothing was read further, nothing saved."),
          ...refusals,
        },
      },
    },
    "/api/v1/projects": {
      get: {
        summary: "The projects the token's user may create clusters in, with their clouds (a draft's projectId and cloudId)",
        responses: {
          "200": answer("Every such project, by name (at most 500).", {
            type: "object",
            properties: {
              projects: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string" },
                    name: { type: "string" },
                    clouds: { type: "array", items: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, authUrl: { type: "string" } } } },
                  },
                },
              },
            },
          }),
          "401": refusals["401"],
          ...unavailable,
        },
      },
    },
    "/api/v1/clusters/{id}": {
      get: { summary: "A cluster with its plan, operations, events and VIP health", parameters: [id("id", "cluster id")], responses: { "200": answer("The cluster.", { type: "object" }), ...refusals } },
    },
    "/api/v1/clusters/{id}/create": {
      post: {
        summary: "Start creating a drafted cluster",
        parameters: [id("id", "cluster id")],
        responses: {
          "202": answer("Queued.", started),
          "400": badId,
          "403": answer("Not allowed."),
          "409": answer("Not a draft, a draft that is not complete (the message names what is missing), or another operation is active."),
          ...refusals,
        },
      },
    },
    "/api/v1/clusters/{id}/teardown": {
      post: {
        summary: "Start tearing a cluster down, or ask for it where the project requires a second member's approval",
        description:
          "As the cluster page's Tear down. A ready cluster of a project with two-person teardown is not torn down at once: the request is recorded (the cluster's teardownRequest shows it) and another member of the project approves it (POST /api/v1/teardown-requests/{id}/approve).",
        parameters: [id("id", "cluster id")],
        responses: {
          "202": answer("Queued (operationId), or asked for, waiting for a second member (approvalRequestId).", {
            oneOf: [started, { type: "object", properties: { approvalRequestId: { type: "string" }, url: { type: "string", description: "The cluster." } }, required: ["approvalRequestId"] }],
          }),
          "400": badId,
          "403": answer("Only its creator or a lead of its project."),
          "409": answer("A draft (delete it instead), already deleted, a teardown already asked for and waiting, or another operation is active."),
          ...refusals,
        },
      },
    },
    "/api/v1/teardown-requests/{id}/approve": {
      post: {
        summary: "Approve a two-person teardown request: the teardown is queued with both names",
        parameters: [id("id", "teardown request id (approvalRequestId; the cluster's teardownRequest.id)")],
        responses: {
          "202": answer("Queued.", started),
          "400": badId,
          "403": answer("Not by the one who asked: a second member of the project must approve."),
          "409": answer("Already approved or withdrawn, or the cluster may not be torn down now (an operation runs)."),
          ...refusals,
        },
      },
    },
    "/api/v1/teardown-requests/{id}/withdraw": {
      post: {
        summary: "Withdraw a two-person teardown request",
        parameters: [id("id", "teardown request id")],
        responses: {
          "200": answer("Withdrawn.", { type: "object", properties: { clusterId: { type: "string" }, status: { const: "withdrawn" } } }),
          "400": badId,
          "403": answer("Only the one who asked or a lead of the project."),
          "409": answer("Already approved or withdrawn."),
          ...refusals,
        },
      },
    },
    "/api/v1/operations/{id}": {
      get: { summary: "An operation's status and steps", parameters: [id("id", "operation id")], responses: { "200": answer("The operation.", operation), ...refusals } },
    },
  },
} as const;
