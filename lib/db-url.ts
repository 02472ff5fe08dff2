// Which database DATABASE_URL names; shared by lib/db.ts and prisma.config.ts (which cannot load the clients).

/** `postgresql://…` (or `postgres://…`) is PostgreSQL; anything else (`file:…`) is a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * The files a SQLite database at `url` (`file:…`) keeps: the database, its write-ahead log and shared-memory index
 * (lib/db.ts), and a rollback journal left by a file written in the older mode. None for PostgreSQL.
 */
export function sqliteFiles(url: string): string[] {
  if (!url.startsWith("file:")) return [];
  const file = url.slice("file:".length).split("?")[0];
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}
