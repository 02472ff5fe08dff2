import type { CallOptions, Session } from "../../client";
import { computeRequest } from "../versions/requests";
import { toComputeLimits, type ComputeLimits } from "./results";
import { limitsUrl } from "./urls";

export async function get(session: Session, call: CallOptions = {}): Promise<ComputeLimits> {
  const res = await computeRequest(session, { ...call, method: "GET", path: limitsUrl() });
  return toComputeLimits((res.data as { limits: { absolute: Record<string, number> } }).limits.absolute);
}
