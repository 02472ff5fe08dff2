// Linked pagination as Neutron and Nova do it: the collection comes with `<key>_links: [{rel: "next", href}]`.
// Without a `limit` both answer in one page (Nova caps a page at its max_limit, 1000 by default).
import type { ServiceRequest, Session } from "./client";

interface Link {
  rel?: string;
  href?: string;
}

/** The next page's path relative to the endpoint (the href may name another host when a proxy sits in between). */
export function nextPagePath(data: unknown, key: string, endpointPath: string): string | undefined {
  const links = (data as Record<string, Link[] | undefined>)[`${key}_links`];
  const href = links?.find((l) => l.rel === "next")?.href;
  if (!href) return undefined;
  const url = new URL(href);
  const prefix = endpointPath.replace(/\/+$/, "");
  const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
  return path + url.search;
}

/** Yields every item of a collection, page by page; stop early by breaking out of the loop. */
export async function* pages<T>(session: Session, req: ServiceRequest, key: string): AsyncGenerator<T[]> {
  const endpointPath = new URL(await session.endpoint(req.service, req)).pathname;
  let next: ServiceRequest | undefined = req;
  while (next) {
    const res = await session.request(next);
    yield ((res.data as Record<string, T[] | undefined>)[key] ?? []) as T[];
    const path = nextPagePath(res.data, key, endpointPath);
    next = path ? { ...req, path, query: undefined } : undefined;
  }
}

export async function listAll<T>(session: Session, req: ServiceRequest, key: string): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages<T>(session, req, key)) all.push(...page);
  return all;
}
