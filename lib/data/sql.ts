import { Prisma } from "@/lib/generated/prisma/client";

// Raw SQL for the few statements every request or page sends, where Prisma would send one query per relation.
// Identifiers are double-quoted (SQLite and PostgreSQL both read them so).

/** projectIdFilter(actor) as a condition on `column`: no condition for an admin, nothing for an empty list. */
export function inScope(scope: { in: string[] } | undefined, column: Prisma.Sql): Prisma.Sql {
  if (!scope) return Prisma.sql`1 = 1`;
  return scope.in.length ? Prisma.sql`${column} IN (${Prisma.join(scope.in)})` : Prisma.sql`0 = 1`;
}
