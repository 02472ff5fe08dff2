import { apiProjectsRoute } from "@/lib/data";

export const dynamic = "force-dynamic";

// Automation API: the projects the token may create clusters in, with their clouds (a draft's projectId and cloudId).
export const GET = apiProjectsRoute;
