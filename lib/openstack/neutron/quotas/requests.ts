import type { CallOptions, Session } from "../../client";
import { toQuotaDetails, type QuotaDetails } from "./results";
import { quotaDetailsUrl } from "./urls";

/** Limits and usage of a project (the session's own project by default); needs the quota_details extension. */
export async function details(session: Session, opts: { projectId?: string } = {}, call: CallOptions = {}): Promise<QuotaDetails> {
  const projectId = opts.projectId ?? (await session.projectId(call));
  const res = await session.request({ ...call, service: "network", method: "GET", path: quotaDetailsUrl(projectId) });
  return toQuotaDetails((res.data as { quota: Parameters<typeof toQuotaDetails>[0] }).quota);
}
