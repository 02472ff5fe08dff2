/**
 * JSON with object keys sorted at every level and no whitespace, so equal values always give equal bytes
 * (the bootstrap pointer carries a sha512 of these bytes). Array order is kept: callers sort where order is
 * not meaningful. `undefined` members are dropped, as JSON.stringify does.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  // A null prototype keeps a "__proto__" key (JSON.parse makes it an own property) an ordinary member.
  const sorted: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) sorted[key] = sortKeys(member);
  }
  return sorted;
}
