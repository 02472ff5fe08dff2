"use client";

import { Pagination } from "@patternfly/react-core";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { PageInfo } from "@/lib/data";

/**
 * The lists' pager: the page and its size live in the address (`?page=2&size=50`, or `?users.page=…` with a prefix),
 * so the server renders exactly that page and a reload or a shared link shows the same rows. `label` names its
 * navigation landmark where a page has two pagers (PatternFly calls every one "Pagination").
 */
export function Pager({ info, prefix = "", testId, label }: { info: PageInfo; prefix?: string; testId?: string; label?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const go = (page: number, size: number) => {
    const next = new URLSearchParams(params);
    next.set(`${prefix}page`, String(page));
    next.set(`${prefix}size`, String(size));
    router.push(`${pathname}?${next.toString()}`);
  };
  return (
    <Pagination
      data-testid={testId}
      itemCount={info.total}
      page={info.page}
      perPage={info.size}
      perPageOptions={info.sizes.map((n) => ({ title: String(n), value: n }))}
      onSetPage={(_e, page) => go(page, info.size)}
      onPerPageSelect={(_e, size) => go(1, size)}
      isCompact
      {...(label ? { titles: { paginationAriaLabel: label } } : {})}
    />
  );
}

/** Sets (or, empty, removes) one filter of a server-rendered list in the address, back to its first page. */
export function useAddressFilter(): (key: string, value: string) => void {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  return (key, value) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("page");
    router.push(`${pathname}?${next.toString()}`);
  };
}
