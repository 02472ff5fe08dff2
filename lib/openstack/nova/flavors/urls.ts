export const flavorsDetailUrl = () => "/flavors/detail";
export const flavorUrl = (id: string) => `/flavors/${encodeURIComponent(id)}`;
