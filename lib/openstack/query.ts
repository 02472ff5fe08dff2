// Query strings as the OpenStack APIs read them: `undefined` leaves a filter out, arrays repeat the key
// (`id=a&id=b`, an OR in Neutron and Nova); services that want comma lists (Neutron tags) join them in their toQuery.

export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;
export type Query = Record<string, QueryValue>;

export function toQueryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Neutron's tag filters take one comma-separated value; an empty list means "no filter". */
export function commaList(values: readonly string[] | undefined): string | undefined {
  return values && values.length > 0 ? values.join(",") : undefined;
}
