import { z } from "zod";
import { can, type Actor } from "@/lib/auth/policy";
import { parseJsonText } from "@/lib/cluster-spec";
import { REQUEST_BODY_LIMIT_BYTES, sizeText } from "@/lib/domain";
import { readBounded } from "@/lib/util/body";
import type { Db } from "@/lib/db";
import { actorOfBearer } from "./api-tokens";
import { getClusterView, toOperationView } from "./cluster-view";
import { draftCluster, startOperation, type DraftClusterInput } from "./clusters";
import { decideTeardown, requestTeardown } from "./teardown";
import { listClusters, listCreateTargets } from "./directory";
import { InvalidInputError, NotFoundError, parseCommand, TooLargeError } from "./errors";
import { errorResponse } from "./http";
import { OPENAPI } from "./openapi";

// The automation API (/api/v1): the same use cases as the pages, with the same policy, for a personal API token
// instead of a browser session. Another project's cluster or operation is 404, as a missing one is.

type Handler = (db: Db, actor: Actor, params: Record<string, string>, request: Request) => Promise<Response>;

/** A /api/v1 route: 401 without a valid token, the door's errors as their HTTP status with a sentence. */
export function apiRoute(db: () => Db, handler: Handler) {
  return async (request: Request, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      // the token's lookup too: its errors (the database unavailable: 503) are answered as the handler's
      const actor = await actorOfBearer(db(), request.headers.get("authorization"));
      if (!actor) {
        return Response.json({ error: "A valid API token is required (Authorization: Bearer tripod_…)." }, { status: 401, headers: { "www-authenticate": 'Bearer realm="tripod"' } });
      }
      return await handler(db(), actor, await context.params, request);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

async function jsonBody(request: Request): Promise<unknown> {
  const body = await readBounded(request.body, request.headers.get("content-length"), REQUEST_BODY_LIMIT_BYTES);
  if (body === "too-large") throw new TooLargeError(`The request body is larger than ${sizeText(REQUEST_BODY_LIMIT_BYTES)}. Nothing was stored.`);
  const parsed = parseJsonText(body.toString("utf8"));
  if (!parsed.ok) throw new InvalidInputError({ body: `The request body ${parsed.message}` });
  return parsed.value;
}

const DraftBody = z.object({
  projectId: z.string().min(1, "Choose a project"),
  cloudId: z.string().min(1, "Choose a cloud"),
  spec: z.record(z.string(), z.unknown(), { error: "The cluster spec, as a JSON object" }),
  kubeconfig: z.string().optional(),
});

// A page at a time, as the clusters list: ?page=&size=&sort=&dir=&status=&q= (the first 20, newest first, by default).
export const listClustersApi: Handler = async (db, actor, _params, request) => {
  const { rows, ...page } = await listClusters(db, actor, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ clusters: rows, page: { total: page.total, page: page.page, size: page.size, pages: page.pages } });
};

/** The projects the token's user may create clusters in, each with its clouds: a draft's projectId and cloudId. */
export const listProjectsApi: Handler = async (db, actor) => Response.json({ projects: await listCreateTargets(db, actor) });

export const getClusterApi: Handler = async (db, actor, params) => Response.json(await getClusterView(db, actor, params.id));

/** A draft from a spec JSON: 201 with the cluster's id and its plan's URL, 400 with field errors. */
export const draftClusterApi: Handler = async (db, actor, _params, request) => {
  const body: z.output<typeof DraftBody> = parseCommand(DraftBody, await jsonBody(request));
  const input: DraftClusterInput = { projectId: body.projectId, cloudId: body.cloudId, specJson: JSON.stringify(body.spec), kubeconfig: body.kubeconfig };
  const outcome = await draftCluster(db, actor, input);
  if (!outcome.ok) return Response.json({ error: "The cluster was not saved: correct the fields.", errors: outcome.errors }, { status: 400 });
  return Response.json({ id: outcome.value.clusterId, url: `/api/v1/clusters/${outcome.value.clusterId}` }, { status: 201 });
};

const queued = (operationId: string) => Response.json({ operationId, url: `/api/v1/operations/${operationId}` }, { status: 202 });

export const createApi: Handler = async (db, actor, params) => queued((await startOperation(db, actor, { clusterId: params.id, kind: "create" })).operationId);

/**
 * As the cluster page's Tear down: queued (202 with the operation), or, for a ready cluster of a project that
 * requires two people, asked for (202 with the request, which another member approves; the cluster's
 * `teardownRequest` shows it meanwhile).
 */
export const teardownApi: Handler = async (db, actor, params) => {
  const outcome = await requestTeardown(db, actor, { clusterId: params.id });
  if ("operationId" in outcome) return queued(outcome.operationId);
  return Response.json({ approvalRequestId: outcome.approvalRequestId, url: `/api/v1/clusters/${params.id}` }, { status: 202 });
};

/** A second member approves a teardown request (202 with the queued teardown), or its requester or a lead withdraws it (200). */
export function decideTeardownApi(decision: "approve" | "withdraw"): Handler {
  return async (db, actor, params) => {
    const { clusterId, operationId } = await decideTeardown(db, actor, { requestId: params.id, decision });
    return operationId ? queued(operationId) : Response.json({ clusterId, status: "withdrawn" });
  };
}

export const getOperationApi: Handler = async (db, actor, params) => {
  const op = await db.operation.findUnique({
    where: { id: params.id },
    include: { cluster: true, steps: { orderBy: { position: "asc" } }, requestedBy: true, approvedBy: true },
  });
  if (!op || !can(actor, "cluster.read", { projectId: op.cluster.projectId })) throw new NotFoundError("That operation");
  return Response.json({ clusterId: op.clusterId, ...toOperationView(op) });
};

export const openApiDocument = () => Response.json(OPENAPI);
