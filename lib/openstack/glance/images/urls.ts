export const imagesUrl = () => "/v2/images";
export const imageUrl = (id: string) => `/v2/images/${encodeURIComponent(id)}`;
