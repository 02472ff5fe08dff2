export const serversUrl = () => "/servers";
export const serversDetailUrl = () => "/servers/detail";
export const serverUrl = (id: string) => `/servers/${encodeURIComponent(id)}`;
export const serverActionUrl = (id: string) => `/servers/${encodeURIComponent(id)}/action`;
