export const serverGroupsUrl = () => "/os-server-groups";
export const serverGroupUrl = (id: string) => `/os-server-groups/${encodeURIComponent(id)}`;
