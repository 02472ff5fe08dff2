export interface ApplicationCredential {
  id: string;
  name: string;
  projectId: string;
  expiresAt: string | null;
  /** Only in the answer to the create: Keystone never shows it again. */
  secret?: string;
}

interface RawApplicationCredential {
  id: string;
  name: string;
  project_id: string;
  expires_at?: string | null;
  secret?: string;
}

export function toApplicationCredential(raw: Record<string, unknown>): ApplicationCredential {
  const a = raw as unknown as RawApplicationCredential;
  return { id: a.id, name: a.name, projectId: a.project_id, expiresAt: a.expires_at ?? null, secret: a.secret };
}
