"use client";

import { EmptyState, EmptyStateBody, EmptyStateFooter } from "@patternfly/react-core";
import { ActionLink } from "./page-parts";

/** What the viewer may not see looks exactly like what does not exist. */
export function NotFound({ what, back }: { what: string; back: { href: string; label: string } }) {
  return (
    <EmptyState titleText={`${what} does not exist, or you may not see it`} headingLevel="h1" data-testid="not-found">
      <EmptyStateBody>Check the address, or ask a lead of the project for access.</EmptyStateBody>
      <EmptyStateFooter>
        <ActionLink href={back.href} variant="link">
          {back.label}
        </ActionLink>
      </EmptyStateFooter>
    </EmptyState>
  );
}
