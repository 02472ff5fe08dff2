export const portsUrl = () => "/v2.0/ports";
export const portUrl = (id: string) => `/v2.0/ports/${encodeURIComponent(id)}`;
