/**
 * Sets `key` in a cache kept to `max` entries: the entry goes last, and when the map is full its oldest entry makes
 * room (a Map iterates in insertion order). For the per-process caches of decoded cookies, plans and statements.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
