// Values of the rows that lib/db.ts readRows answers, as each driver gives them (past Prisma, nothing converts them),
// and a moment as a parameter to compare a DateTime column with.

/** A COUNT, SUM or counter column as a number (drivers answer bigint, number, a string of digits or null). */
export const count = (value: number | bigint | string | null | undefined) => Number(value ?? 0);

/** A nullable integer column as a number: drivers answer a number, a bigint or a string of digits. */
export const intOrNull = (value: number | bigint | string | null) => (value === null ? null : Number(value));

/** A boolean column or condition as a boolean: SQLite answers 0 or 1 (a number, bigint or string), PostgreSQL a boolean. */
export const flag = (value: unknown) => Boolean(Number(value));

/**
 * A DateTime column: SQLite's adapter stores ISO 8601 text with "+00:00" (its default timestamp format), PostgreSQL's
 * answers its timestamp(3) as ISO text with "+00:00"; both parse (and $queryRaw, readRows before Prisma's first
 * statement, answers a Date).
 */
export const dateOf = (value: string | Date) => new Date(value);
export const dateOrNull = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * A moment as a parameter to compare a DateTime column with, as Prisma sends it: SQLite compares the stored ISO
 * text (with "+00:00", not "Z", or an equal moment would compare greater), PostgreSQL reads it as a timestamp.
 */
export const sqlTime = (at: Date) => at.toISOString().replace("Z", "+00:00");
