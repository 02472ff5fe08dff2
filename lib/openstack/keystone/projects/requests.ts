import type { CallOptions, Session } from "../../client";
import { parseAuthProjects, type AuthProject } from "./results";
import { authProjectsUrl } from "./urls";

/** The projects the session's (possibly unscoped) token may be scoped to: where the user holds a role. */
export async function listForToken(session: Session, call: CallOptions = {}): Promise<AuthProject[]> {
  const res = await session.request({ ...call, service: "identity", method: "GET", path: authProjectsUrl() });
  return parseAuthProjects(res.data);
}
