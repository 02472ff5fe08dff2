"use client";

import { Alert, Button, Content, Gallery } from "@patternfly/react-core";
import type { ReactNode } from "react";
import type { RefusedFilter } from "@/lib/data";
import Link from "./link";

/** Cards side by side, as many as fit (each at least 22rem wide). */
export function Columns({ children }: { children: ReactNode }) {
  return (
    <Gallery hasGutter minWidths={{ default: "22rem" }} style={{ marginBlock: "var(--pf-t--global--spacer--md)" }}>
      {children}
    </Gallery>
  );
}

/** A sentence that explains the page or section it is in. */
export function Note({ children }: { children: ReactNode }) {
  return (
    <Content component="p" style={{ color: "var(--pf-t--global--text--color--subtle)", marginBlock: "var(--pf-t--global--spacer--sm)" }}>
      {children}
    </Content>
  );
}

/**
 * A button that opens another page: a link styled as a PatternFly button (a list's main action, primary like the
 * console's "Create …" above its lists; a way back, as a link).
 */
export function ActionLink({ href, variant = "primary", children }: { href: string; variant?: "primary" | "link"; children: ReactNode }) {
  return (
    <Button variant={variant} component={(props: object) => <Link {...props} href={href} />}>
      {children}
    </Button>
  );
}

/** The filters of the address that the list below left out (lib/data withoutRefusedFilters), each with why. */
export function RefusedFilters({ refused }: { refused: RefusedFilter[] }) {
  if (refused.length === 0) return null;
  return (
    <Alert
      variant="warning"
      isInline
      component="h2"
      title={`The list is shown without ${refused.length === 1 ? "a filter" : `${refused.length} filters`} of its address`}
      data-testid="refused-filters"
      style={{ marginBlock: "var(--pf-t--global--spacer--sm)" }}
    >
      <ul>
        {refused.map((r) => (
          <li key={r.name} data-testid={`refused-${r.name}`}>
            {/* a long value (a pasted text) is cut: the message says what is wrong with it */}
            <code>
              {r.name}={r.value.length > 80 ? `${r.value.slice(0, 80)}…` : r.value}
            </code>
            : {r.message}.
          </li>
        ))}
      </ul>
    </Alert>
  );
}
