"use client";

import { Button, EmptyState, EmptyStateBody, EmptyStateFooter } from "@patternfly/react-core";

export function PageError({ digest, reset }: { digest?: string; reset: () => void }) {
  return (
    <EmptyState titleText="This page could not be shown" headingLevel="h1" status="danger">
      <EmptyStateBody>
        Something went wrong on our side; nothing was changed. Try again, or ask an administrator to look at the server log
        {digest ? ` (error ${digest})` : ""}.
      </EmptyStateBody>
      <EmptyStateFooter>
        <Button variant="primary" onClick={reset}>
          Try again
        </Button>
      </EmptyStateFooter>
    </EmptyState>
  );
}
