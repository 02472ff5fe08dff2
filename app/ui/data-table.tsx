"use client";

import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import type { ReactNode } from "react";

export interface DataRow {
  key: string;
  cells: ReactNode[];
  testId?: string;
}

/**
 * The one table: a compact PatternFly table with a header row. Server pages pass plain data and rendered cells
 * (elements are fine, functions are not).
 */
export function DataTable({ label, columns, rows, testId, empty }: { label: string; columns: ReactNode[]; rows: DataRow[]; testId?: string; empty?: ReactNode }) {
  return (
    <Table aria-label={label} variant="compact" data-testid={testId}>
      <Thead>
        <Tr>
          {columns.map((c, i) => (
            <Th key={i}>{c}</Th>
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
                <Td key={i} dataLabel={typeof columns[i] === "string" ? (columns[i] as string) : undefined}>
                  {c}
                </Td>
              ))}
            </Tr>
          ))
        )}
      </Tbody>
    </Table>
  );
}
