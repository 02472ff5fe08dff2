"use client";

import { Content, Gallery } from "@patternfly/react-core";
import type { ReactNode } from "react";

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
