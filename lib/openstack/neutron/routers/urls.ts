export const routersUrl = () => "/v2.0/routers";
export const routerUrl = (id: string) => `/v2.0/routers/${encodeURIComponent(id)}`;
