import "server-only";
import { prisma } from "@/lib/db";
import { getClusterCloud } from "./cluster-cloud";
import { downloadClusterFile } from "./cluster-files";
import { getActorAndClusterVersion, getClusterVersion, getClusterView, type ClusterView } from "./cluster-view";
import { commandOperation, deleteDraft, markBootstrapComplete, reopenDraft, startOperation } from "./clusters";
import { getDriftOversight, reconcileNow, sweepCloudOrphans } from "./drift";
import { getAdministration, getNavigation, listClusters, listCreateTargets, listProjects } from "./directory";
import { apiRoute, createApi, decideTeardownApi, draftClusterApi, getClusterApi, getOperationApi, listClustersApi, listProjectsApi, openApiDocument, teardownApi } from "./api";
import { createApiToken, listApiTokens, revokeApiToken } from "./api-tokens";
import { checkHealth, checkReady } from "./health";
import { listClusterEvents } from "./history";
import { metricsResponse } from "./metrics";
import { fileRoute, jsonRoute, versionedPage, type Versioned } from "./http";
import { getOversight } from "./oversight";
import { withActor } from "./session";
import { decideTeardown, requestTeardown } from "./teardown";
import { receiveVrrpMessage, vrrpIngestListener } from "./vrrp";
import { cloneCluster, exportSpec, getWizardDraft, importSpec, uploadInstallerFile } from "./wizard";
import { getAddressFacts, getMachineChoices, getReview, listNetworkChoices, saveStepChecked } from "./wizard-cloud";
import { changeOwnPassword, createUser, resetPassword, setUserDisabled, setUserRole } from "./accounts";
import { addMember, createProject, getProject, removeMember, setMemberRole, setProjectSettings } from "./projects";
import { addCloud, removeCloud, rotateCloudCredentials, setSignInDomains, testCloud } from "./clouds";
import { listAudit } from "./audit-log";
import { controlLab, getLabStatus, labControlOffered } from "./demo-lab";
import { demoLabClient, demoLabSocket } from "@/lib/demo-lab";
import { answerOutsideNext } from "@/lib/outside-next";
import { INGEST_PATH } from "@/lib/vip/ingest-url";

// The door: everything app/ may call. Pages, server actions and route handlers get the signed-in actor and the
// database here, never on their own; the use cases behind each name check the policy and return DTOs.

export { authRouteHandler, isShownAsNotFound, orNotFound, requireActor, sessionRenewal } from "./session";
export type { SessionRenewal } from "@/lib/auth/session-renewal";
export { runCommand, explain, formFields, type ActionState } from "./actions";
export { safeCallbackPath } from "@/lib/auth/options";
export { PASSWORD_RULES } from "@/lib/auth/password-rules";
export type { ProjectDetail } from "./projects";
export type { ConnectionReport } from "./clouds";
export type { AuditView, AuditRow, AuditFilter } from "./audit-log";
export * from "./errors";
export type { ClusterView, OperationView, StepView, PortCell } from "./cluster-view";
export type { ClusterCloud, PortCellView, PortGridRow } from "./cluster-cloud";
export type { ClusterPage, ClusterSummary, CreateTarget, Navigation, ProjectSummary, SignInCloud, UserSummary } from "./directory";
export type { EventRow } from "./history";
export { EVENT_LEVELS, EVENT_STEPS } from "./history";
export type { AddressQuery, Page, PageInfo, RefusedFilter } from "./paging";
export { withoutRefusedFilters } from "./paging";
export type { Oversight, OversightRow, OversightProblem } from "./oversight";
export { OVERSIGHT_PROBLEMS } from "./oversight";
export type { DriftRow, DriftView } from "./drift";
export type { ApiTokenSummary } from "./api-tokens";
export type { VipPanel } from "@/lib/vip/panel";
export type { WizardDraft, WizardFile, SaveOutcome } from "./wizard";
export { stepErrors } from "./wizard";
export type { AddressFacts, CloudRead, MachineChoices, NetworkChoice, NetworkChoices, PreflightGroup, Review, ReviewPort, SubnetChoice } from "./wizard-cloud";
export type { LabAction, LabService, LabStatus } from "@/lib/demo-lab";

// Reads
export const navigation = withActor(getNavigation);
export const clusterList = withActor(listClusters);
export const clusterCloud = withActor(getClusterCloud);
export const createTargets = withActor(listCreateTargets);
export const oversight = withActor(getOversight);
export const administration = withActor(getAdministration);
export const driftOversight = withActor(getDriftOversight);
export const clusterEvents = withActor(listClusterEvents);
export const auditLog = withActor(listAudit);
export const wizardDraft = withActor(getWizardDraft);
export const wizardNetworks = withActor(listNetworkChoices);
export const wizardAddresses = withActor(getAddressFacts);
export const wizardMachines = withActor(getMachineChoices);
export const wizardReview = withActor(getReview);
export const projectList = withActor(listProjects);
export const projectDetail = withActor(getProject);
export const apiTokens = withActor(listApiTokens);

// Commands
export const startOperationCommand = withActor(startOperation);
export const operationCommand = withActor(commandOperation);
export const markBootstrapCompleteCommand = withActor(markBootstrapComplete);
export const deleteDraftCommand = withActor(deleteDraft);
export const reopenDraftCommand = withActor(reopenDraft);
export const reconcileNowCommand = withActor(reconcileNow);
export const sweepOrphansCommand = withActor(sweepCloudOrphans);
export const requestTeardownCommand = withActor(requestTeardown);
export const decideTeardownCommand = withActor(decideTeardown);
export const saveWizardStepCommand = withActor(saveStepChecked);
export const importSpecCommand = withActor(importSpec);
export const cloneClusterCommand = withActor(cloneCluster);
export const createUserCommand = withActor(createUser);
export const setUserDisabledCommand = withActor(setUserDisabled);
export const resetPasswordCommand = withActor(resetPassword);
export const setUserRoleCommand = withActor(setUserRole);
export const changeOwnPasswordCommand = withActor(changeOwnPassword);
export const createProjectCommand = withActor(createProject);
export const addMemberCommand = withActor(addMember);
export const removeMemberCommand = withActor(removeMember);
export const setMemberRoleCommand = withActor(setMemberRole);
export const projectSettingsCommand = withActor(setProjectSettings);
export const testCloudCommand = withActor(testCloud);
export const addCloudCommand = withActor(addCloud);
export const rotateCloudCredentialsCommand = withActor(rotateCloudCredentials);
export const removeCloudCommand = withActor(removeCloud);
export const signInDomainsCommand = withActor(setSignInDomains);
export const createApiTokenCommand = withActor(createApiToken);
export const revokeApiTokenCommand = withActor(revokeApiToken);

// The demo lab (TRIPOD_DEMO_LAB_SOCKET, set by `npm run demo` with TRIPOD_DEMO_LAB=1): off — and every call NotFound — when no socket is configured.
const demoLab = () => {
  const socket = demoLabSocket();
  return socket ? demoLabClient(socket) : null;
};
export const labControlShown = withActor(async (_db, actor) => labControlOffered(actor, demoLab()));
export const labControlCommand = withActor((db, actor, input: Parameters<typeof controlLab>[2]) => controlLab(db, actor, input, demoLab()));

// Route handlers
// The cluster page's poll: 304 while the cluster's version (and the asker) is the same.
const clusterViewVersion: Versioned<{ id: string }> = (db, claims, params) => getActorAndClusterVersion(db, claims, params.id);
export const clusterViewRoute = jsonRoute<{ id: string }>((db, actor, params) => getClusterView(db, actor, params.id), clusterViewVersion);
// The cluster page itself: the view with the ETag of its poll, whose first ask is then a 304 while nothing changed.
export const clusterPage = versionedPage<{ id: string }, ClusterView>(
  (db, actor, params) => getClusterView(db, actor, params.id),
  (db, actor, params) => getClusterVersion(db, actor, params.id),
);
// The port grid from the cloud: its own poll, a few seconds apart (the listing is cached per cluster for every viewer).
export const clusterCloudRoute = jsonRoute<{ id: string }>((db, actor, params) => getClusterCloud(db, actor, params.id, { waitForCloud: false }));
export const clusterFileRoute = fileRoute<{ id: string; file: string }>(downloadClusterFile);
export const installerFileRoute = jsonRoute<{ id: string; file: string }>((db, actor, params, request) =>
  uploadInstallerFile(db, actor, params, request),
);
export const specExportRoute = jsonRoute<{ id: string }>((db, actor, params) => exportSpec(db, actor, params));
export const labStatusRoute = jsonRoute<{ id: string }>((db, actor, params) => getLabStatus(db, actor, params.id, demoLab()));
export const healthRoute = () => Response.json(checkHealth());
export const readyRoute = async () => {
  const readiness = await checkReady(prisma, new Date(), Number(process.env.TRIPOD_LEASE_MS ?? 30_000));
  return Response.json(readiness, { status: readiness.ok ? 200 : 503 });
};
export const metricsRoute = (request: Request) => metricsResponse(prisma, request);

// The automation API (/api/v1): a personal API token instead of a session, the same use cases and policy.
const database = () => prisma;
export const apiClustersRoute = { GET: apiRoute(database, listClustersApi), POST: apiRoute(database, draftClusterApi) };
export const apiClusterRoute = apiRoute(database, getClusterApi);
export const apiProjectsRoute = apiRoute(database, listProjectsApi);
export const apiCreateRoute = apiRoute(database, createApi);
export const apiTeardownRoute = apiRoute(database, teardownApi);
export const apiApproveTeardownRoute = apiRoute(database, decideTeardownApi("approve"));
export const apiWithdrawTeardownRoute = apiRoute(database, decideTeardownApi("withdraw"));
export const apiOperationRoute = apiRoute(database, getOperationApi);
export const openApiRoute = openApiDocument;
const ingestOutsideNext = vrrpIngestListener(prisma);
/**
 * The route's first message also has the dashboard's server answer the next ones itself, before Next.js
 * (lib/outside-next.ts), with this code and this layer's database client: the route handlers', whose connections
 * (PostgreSQL's pool) the pages' do not share.
 */
export const vrrpIngestRoute = (request: Request) => {
  answerOutsideNext("POST", INGEST_PATH, ingestOutsideNext);
  return receiveVrrpMessage(prisma, request);
};
