"use client";

import { Title } from "@patternfly/react-core";
import type { ReactNode } from "react";

/** Page and section headings (PatternFly components render on the client; server pages use this). */
export function Heading({ level = 1, children }: { level?: 1 | 2 | 3; children: ReactNode }) {
  return <Title headingLevel={`h${level}`}>{children}</Title>;
}

/**
 * The element of an Alert's title (its `component`; PatternFly's default is an h4), as PatternFly's accessibility
 * guide for alerts has it: a heading at `level`, one under the heading the alert stands under, when a description
 * follows the title; a paragraph when the title is all the alert says (as a heading it would seem to head whatever
 * comes after the alert).
 */
export function alertTitle(level: 2 | 3 | 4, described: boolean) {
  return described ? (`h${level}` as const) : "p";
}
