export interface AuthProject {
  id: string;
  name: string;
  domainId?: string;
}

export function parseAuthProjects(body: unknown): AuthProject[] {
  const projects = (body as { projects?: { id?: string; name?: string; domain_id?: string; enabled?: boolean }[] }).projects ?? [];
  return projects.filter((p) => p.id && p.enabled !== false).map((p) => ({ id: p.id!, name: p.name ?? p.id!, domainId: p.domain_id }));
}
