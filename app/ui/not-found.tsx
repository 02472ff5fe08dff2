"use client";

import { Button, EmptyState, EmptyStateBody, EmptyStateFooter } from "@patternfly/react-core";
import Link from "@/app/ui/link";

/** What the viewer may not see looks exactly like what does not exist. */
export function NotFound({ what, back }: { what: string; back: { href: string; label: string } }) {
  return (
    <EmptyState titleText={`${what} does not exist, or you may not see it`} headingLevel="h1" data-testid="not-found">
      <EmptyStateBody>Check the address, or ask a lead of the project for access.</EmptyStateBody>
      <EmptyStateFooter>
        <Button variant="link" component={(props: object) => <Link {...props} href={back.href} />}>
          {back.label}
        </Button>
      </EmptyStateFooter>
    </EmptyState>
  );
}
