export const quotaDetailsUrl = (projectId: string) => `/v2.0/quotas/${encodeURIComponent(projectId)}/details`;
