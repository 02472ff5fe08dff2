import { redirect } from "next/navigation";
import type { AddressQuery, PageInfo } from "@/lib/data";

/** A paged list of a page: its place, and the prefix of its address's page parameters (`users.` for `users.page`). */
export interface PagedList {
  info: Pick<PageInfo, "page" | "pages">;
  prefix?: string;
}

/**
 * The address of `path` with each list that the address asks past its last page (a bookmark kept while the list
 * shrank, or a page number typed) on its last page; null when every list's page is within it. The automation API
 * answers such a page with no rows, as an API does; a page of the dashboard would show an empty table under
 * "19961 - 800 of 800".
 */
export function lastPageAddress(path: string, query: AddressQuery, lists: PagedList[]): string | null {
  const past = lists.filter(({ info }) => info.page > info.pages);
  if (past.length === 0) return null;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const one of [value ?? []].flat()) params.append(name, one);
  for (const { info, prefix = "" } of past) params.set(`${prefix}page`, String(info.pages));
  return `${path}?${params}`;
}

/** Goes to the lists' last pages when the address asks past them (lastPageAddress). */
export function redirectPastLastPage(path: string, query: AddressQuery, ...lists: PagedList[]): void {
  const address = lastPageAddress(path, query, lists);
  if (address) redirect(address);
}
