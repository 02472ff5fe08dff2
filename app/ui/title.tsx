"use client";

import { Title } from "@patternfly/react-core";
import type { ReactNode } from "react";

/** Page and section headings (PatternFly components render on the client; server pages use this). */
export function Heading({ level = 1, children }: { level?: 1 | 2 | 3; children: ReactNode }) {
  return <Title headingLevel={`h${level}`}>{children}</Title>;
}
