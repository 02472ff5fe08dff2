// Application credentials of the session's own user (what a tenant hands Tripod instead of a password).
import type { CallOptions, Session } from "../../client";
import { deleteIfExists } from "../../delete";
import { toApplicationCredential, type ApplicationCredential } from "./results";
import { applicationCredentialsUrl, applicationCredentialUrl } from "./urls";

export interface CreateApplicationCredentialOpts {
  name: string;
  description?: string;
  /** ISO 8601; none means it never expires. */
  expiresAt?: string;
}

/** Not adopted after a lost answer: the secret is shown only once, so a lost create cannot be recovered anyway. */
export async function create(session: Session, opts: CreateApplicationCredentialOpts, call: CallOptions = {}): Promise<ApplicationCredential> {
  const userId = await session.userId(call);
  const body = { name: opts.name, description: opts.description, expires_at: opts.expiresAt };
  const res = await session.request({
    ...call,
    service: "identity",
    method: "POST",
    path: applicationCredentialsUrl(userId),
    json: { application_credential: body },
  });
  return toApplicationCredential((res.data as { application_credential: Record<string, unknown> }).application_credential);
}

export async function remove(session: Session, id: string, call: CallOptions = {}): Promise<boolean> {
  return deleteIfExists(session, "identity", applicationCredentialUrl(await session.userId(call), id), call);
}
