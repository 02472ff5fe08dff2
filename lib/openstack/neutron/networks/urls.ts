export const networksUrl = () => "/v2.0/networks";
export const networkUrl = (id: string) => `/v2.0/networks/${encodeURIComponent(id)}`;
