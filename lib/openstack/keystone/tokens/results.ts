// The parts of a Keystone v3 token the client needs: the token itself, its lifetime, who/where, and the catalog.

export interface CatalogEndpoint {
  interface: string;
  region?: string;
  regionId?: string;
  url: string;
}

export interface CatalogEntry {
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

export interface Token {
  value: string;
  issuedAt: number;
  expiresAt: number;
  userId: string;
  projectId?: string;
  projectName?: string;
  catalog: CatalogEntry[];
}

interface RawToken {
  token?: {
    issued_at?: string;
    expires_at?: string;
    user?: { id?: string };
    project?: { id?: string; name?: string };
    catalog?: { type: string; name?: string; endpoints?: { interface: string; region?: string; region_id?: string; url: string }[] }[];
  };
}

export function parseToken(subjectToken: string, body: unknown, now: number): Token {
  const t = (body as RawToken).token ?? {};
  return {
    value: subjectToken,
    issuedAt: t.issued_at ? Date.parse(t.issued_at) : now,
    expiresAt: t.expires_at ? Date.parse(t.expires_at) : now + 3600_000,
    userId: t.user?.id ?? "",
    projectId: t.project?.id,
    projectName: t.project?.name,
    catalog: (t.catalog ?? []).map((entry) => ({
      type: entry.type,
      name: entry.name,
      endpoints: (entry.endpoints ?? []).map((e) => ({ interface: e.interface, region: e.region, regionId: e.region_id, url: e.url })),
    })),
  };
}
