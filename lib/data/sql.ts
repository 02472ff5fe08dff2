import { Prisma } from "@/lib/generated/prisma/client";

// Raw SQL for the few statements every request or page sends, where Prisma would send one query per relation.
// Identifiers are double-quoted (SQLite and PostgreSQL both read them so).

/** projectIdFilter(actor) as a condition on `column`: no condition for an admin, nothing for an empty list. */
export function inScope(scope: { in: string[] } | undefined, column: Prisma.Sql): Prisma.Sql {
  if (!scope) return Prisma.sql`1 = 1`;
  return scope.in.length ? Prisma.sql`${column} IN (${Prisma.join(scope.in)})` : Prisma.sql`0 = 1`;
}

/** A COUNT, SUM or counter column as a number (drivers answer bigint, number, a string of digits or null). */
export const count = (value: number | bigint | string | null | undefined) => Number(value ?? 0);

/** A nullable integer column as a number (see count). */
export const intOrNull = (value: number | bigint | string | null) => (value === null ? null : Number(value));

/** A boolean column or condition as a boolean: SQLite answers 0 or 1 (a number, bigint or string), PostgreSQL a boolean. */
export const flag = (value: unknown) => Boolean(Number(value));

/**
 * A DateTime column read past Prisma (lib/db.ts readRows): SQLite's adapter stores ISO 8601 text with "+00:00"
 * (its default timestamp format), PostgreSQL's answers its timestamp(3) as ISO text with "+00:00"; both parse.
 */
export const dateOf = (value: string | Date) => new Date(value);
export const dateOrNull = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * A moment as a parameter to compare a DateTime column with, as Prisma sends it: SQLite compares the stored ISO
 * text (with "+00:00", not "Z", or an equal moment would compare greater), PostgreSQL reads it as a timestamp.
 */
export const sqlTime = (at: Date) => at.toISOString().replace("Z", "+00:00");
