export const securityGroupsUrl = () => "/v2.0/security-groups";
export const securityGroupUrl = (id: string) => `/v2.0/security-groups/${encodeURIComponent(id)}`;
