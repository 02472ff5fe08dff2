import { z } from "zod";
import { InvalidInputError } from "./errors";

// Server-side paging for every list: a page number and size, a sort key among the list's indexed columns and a
// direction. The first page costs the same at 10 rows as at 100,000 (an index walk that stops after `size` rows);
// totals come from aggregate queries, never from loading rows.

/** The sizes PatternFly's Pagination offers by default. */
export const PAGE_SIZES = [10, 20, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
/** Histories (events, audit) and directories; the clusters list and oversight, opened most, show fewer (CLUSTER_PAGE_SIZE). */
export const DEFAULT_PAGE_SIZE: PageSize = 50;
/** Offset paging beyond this is refused: deep pages cost the rows they skip. */
const MAX_PAGE = 1000;

export interface PageInfo<S extends string = string> {
  total: number;
  page: number;
  size: number;
  pages: number;
  sort: S;
  dir: "asc" | "desc";
  /** the sizes a pager offers */
  sizes: number[];
}

export type Page<T, S extends string = string> = PageInfo<S> & { rows: T[] };

/** The query-string form of a page request (`?page=2&size=50&sort=name&dir=asc`); unknown values fall back. */
export function pageQuery<S extends string>(sorts: readonly [S, ...S[]], defaultSort: S, defaultDir: "asc" | "desc", defaultSize: PageSize = DEFAULT_PAGE_SIZE) {
  return z.object({
    page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1),
    size: z.coerce
      .number()
      .int()
      .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
      .catch(defaultSize),
    sort: z.enum(sorts).catch(defaultSort),
    dir: z.enum(["asc", "desc"]).catch(defaultDir),
  });
}

export type PageRequest<S extends string> = { page: number; size: number; sort: S; dir: "asc" | "desc" };

/** skip/take for the request. */
export function window(req: { page: number; size: number }): { skip: number; take: number } {
  return { skip: (req.page - 1) * req.size, take: req.size };
}

export function pageInfo<S extends string>(total: number, req: PageRequest<S>): PageInfo<S> {
  return { total, page: req.page, size: req.size, pages: Math.max(1, Math.ceil(total / req.size)), sort: req.sort, dir: req.dir, sizes: [...PAGE_SIZES] };
}

export function pageOf<T, S extends string>(rows: T[], total: number, req: PageRequest<S>): Page<T, S> {
  return { rows, ...pageInfo(total, req) };
}

/** `name` starting with `prefix`, as a range the name index serves (LIKE would not use it). */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: `${prefix}\uffff` };
}

/** A list page's address: its search parameters as Next.js gives them. */
export type AddressQuery = Record<string, string | string[] | undefined>;

/** A filter of the address that its list refused, and why. */
export interface RefusedFilter {
  name: string;
  value: string;
  message: string;
}

/**
 * A list page read with the filters of its address. One the list refuses (edited by hand, or a bookmark older than
 * the filter's values) is left out and named with why, and the list shows filtered by the others: the page does not
 * fail as if the error were Tripod's. Any other refusal is thrown as it came.
 */
export async function withoutRefusedFilters<R>(query: AddressQuery, read: (query: AddressQuery) => Promise<R>): Promise<{ view: R; refused: RefusedFilter[] }> {
  try {
    return { view: await read(query), refused: [] };
  } catch (error) {
    if (!(error instanceof InvalidInputError) || !Object.keys(error.errors).every((name) => query[name] !== undefined)) throw error;
    // a filter given twice (`?status=a&status=b`, typed by hand) is refused as such: the list's own message would
    // say of one of its values that it is not a status, or speak of arrays
    const refused = Object.entries(error.errors).map(([name, message]) => {
      const value = query[name];
      return Array.isArray(value) ? { name, value: value.join(` & ${name}=`), message: "Given more than once: a list takes one value of each filter" } : { name, value: String(value), message };
    });
    const rest = Object.fromEntries(Object.entries(query).filter(([name]) => !(name in error.errors)));
    return { view: await read(rest), refused };
  }
}
