export const subnetsUrl = () => "/v2.0/subnets";
export const subnetUrl = (id: string) => `/v2.0/subnets/${encodeURIComponent(id)}`;
