/**
 * One value per process under `key`, whichever copy of the calling module asks. Next.js compiles server code once per
 * layer (the pages' server components, the route handlers, the proxy, instrumentation), so a module that several
 * layers import runs once in each: a Map at its top level is then one cache per layer, and what a page put there is
 * not seen by the route handler its browser polls. The value lives on globalThis under a registered symbol.
 */
export function processWide<T>(key: string, create: () => T): T {
  const registry = globalThis as unknown as Record<symbol, unknown>;
  const symbol = Symbol.for(`tripod.${key}`);
  if (!(symbol in registry)) registry[symbol] = create();
  return registry[symbol] as T;
}
