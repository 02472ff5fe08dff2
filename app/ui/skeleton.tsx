"use client";

import { Skeleton as PfSkeleton } from "@patternfly/react-core";

/** While a page's data loads. */
export function Skeleton({ what }: { what: string }) {
  return (
    <div aria-busy="true" aria-live="polite">
      <PfSkeleton width="40%" height="2rem" screenreaderText={`Loading ${what}`} />
      <br />
      <PfSkeleton height="12rem" />
    </div>
  );
}
