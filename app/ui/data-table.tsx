"use client";

import { Skeleton } from "@patternfly/react-core";
import { InnerScrollContainer, Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import type { ReactNode } from "react";
import type { Column } from "./columns";
import { useHydrated } from "./hydrated";

export interface DataRow {
  key: string;
  cells: ReactNode[];
  testId?: string;
}

const titleOf = (c: Column) => (typeof c === "string" ? c : c.title);
const modifierOf = (c: Column) => (typeof c === "object" ? "fitContent" : undefined);

/**
 * From how many columns a table stacks its rows (each cell under its header's name) below PatternFly's xl breakpoint,
 * 1200 px, instead of its md one, 768 px: below that, eight columns whose short values do not wrap are wider than the page.
 */
const WIDE_TABLE_COLUMNS = 7;

/** A compact table row's height in PatternFly 6, for the skeleton that stands in for the table. */
const ROW_REM = 2.25;

/**
 * The one table: a compact PatternFly table with a header row. Server pages pass plain data and rendered cells
 * (elements are fine, functions are not). It renders in the browser: on a full load the server sends the rows as the
 * page's data and a skeleton of the table's height in their place, since rendering PatternFly's table cells into HTML
 * cost about as much CPU as everything else a page renders (issue 18) and the browser renders them for what hydrating
 * them would cost it. A click to a page renders everything in the browser anyway.
 */
export function DataTable({ label, columns, rows, testId, empty }: { label: string; columns: Column[]; rows: DataRow[]; testId?: string; empty?: ReactNode }) {
  const hydrated = useHydrated();
  if (!hydrated) return <Skeleton screenreaderText={`Loading ${label}`} height={`${(Math.max(rows.length, 1) + 1) * ROW_REM}rem`} />;
  return (
    // scrolls sideways rather than being cut off where the page is narrower than the table
    <InnerScrollContainer>
      <Table aria-label={label} variant="compact" data-testid={testId} gridBreakPoint={columns.length >= WIDE_TABLE_COLUMNS ? "grid-xl" : "grid-md"}>
        <Thead>
          <Tr>
            {columns.map((c, i) => (
              // a header is never cut short: PatternFly truncates one to its column's width by default ("Clus…");
              // a fit column's stays on one line ("In current step", not a word a line), the others wrap
              <Th key={i} modifier={modifierOf(c) ?? "wrap"}>
                {titleOf(c)}
              </Th>
            ))}
          </Tr>
        </Thead>
        <Tbody>
          {rows.length === 0 && empty ? (
            <Tr>
              <Td colSpan={columns.length}>{empty}</Td>
            </Tr>
          ) : (
            rows.map((r) => (
              <Tr key={r.key} data-testid={r.testId}>
                {r.cells.map((c, i) => (
                  <Td key={i} dataLabel={titleOf(columns[i])} modifier={modifierOf(columns[i])}>
                    {/* stacked (below the grid break point) a cell is a grid: its one child would stretch to the
                        row's width, a status label into a bar */}
                    <div>{c}</div>
                  </Td>
                ))}
              </Tr>
            ))
          )}
        </Tbody>
      </Table>
    </InnerScrollContainer>
  );
}
