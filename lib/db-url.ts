// Which database DATABASE_URL names; shared by lib/db.ts and prisma.config.ts (which cannot load the clients).

/** `postgresql://…` (or `postgres://…`) is PostgreSQL; anything else (`file:…`) is a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
