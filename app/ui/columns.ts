/**
 * A table's column (app/ui/data-table.tsx): its header, and for a column of short values (names, states, times,
 * counts) `fit`: as wide as its cells, which never wrap, so that "team-0" or "3 d" is not broken over two lines while
 * the columns of prose take the rest of the width. Apart from the table, a client component, so that server pages can
 * use `fit` too.
 */
export type Column = string | { title: string; fit: true };

/** A column as wide as its values, which never wrap. */
export const fit = (title: string): Column => ({ title, fit: true });
