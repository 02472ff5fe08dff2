/** Neutron collections that carry standard-attribute tags. */
export type TaggedCollection = "ports" | "networks" | "subnets" | "security-groups" | "routers" | "floatingips" | "trunks";

export const tagsUrl = (collection: TaggedCollection, id: string) => `/v2.0/${collection}/${encodeURIComponent(id)}/tags`;
