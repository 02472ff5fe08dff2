export const securityGroupRulesUrl = () => "/v2.0/security-group-rules";
export const securityGroupRuleUrl = (id: string) => `/v2.0/security-group-rules/${encodeURIComponent(id)}`;
