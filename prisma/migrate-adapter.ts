// The driver adapter that the Prisma CLI's migrate commands use against PostgreSQL (prisma.config.ts).
//
// Prisma's schema engine reads pg_catalog, whose columns are of the types `name` and `"char"`; @prisma/adapter-pg
// 6.19 has no column type for them and every migrate command fails with "Column type 'name' could not be
// deserialized from the database" (prisma/orm#27403). pg already returns both as strings; this client reports them
// as `text`, which is all the engine needs. And the adapter drops its shadow database (used by
// `migrate diff --from-migrations`) while its own pool is still connected to it, which PostgreSQL refuses: that one
// statement gets WITH (FORCE), and the errors of the shadow database's connections that it ends are dropped. The application's own client (lib/db.ts) uses the adapter unchanged.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";

const TEXT = 25;
const CATALOG_TEXT_TYPES = new Set([18 /* "char" */, 19 /* name */]);

function asText<R>(result: R): R {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as pg.QueryResult | undefined)?.fields ?? []) if (CATALOG_TEXT_TYPES.has(field.dataTypeID)) field.dataTypeID = TEXT;
  }
  return result;
}

const SHADOW_PREFIX = "prisma_migrate_shadow_db_";
const SHADOW_DROP = new RegExp(`^DROP DATABASE "${SHADOW_PREFIX}[0-9a-f-]+"$`);

class CatalogTextClient extends pg.Client {
  // pg.Pool calls query() with a callback, the adapter's transactions without: patch the result either way.
  query(...args: unknown[]): never {
    if (typeof args[0] === "string" && SHADOW_DROP.test(args[0])) args[0] = `${args[0]} WITH (FORCE)`;
    const last = args.at(-1);
    if (typeof last === "function") {
      const callback = last as (err: Error | null, result?: unknown) => void;
      return (super.query as (...a: unknown[]) => never)(...args.slice(0, -1), (err: Error | null, result?: unknown) => callback(err, err ? result : asText(result)));
    }
    const pending = (super.query as (...a: unknown[]) => unknown)(...args);
    return (pending instanceof Promise ? pending.then(asText) : pending) as never;
  }

  emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === "error" && this.database?.startsWith(SHADOW_PREFIX)) return true;
    return super.emit(event, ...args);
  }
}

/**
 * The adapter for a postgresql:// URL. The connection settings are passed field by field, not as a connection
 * string: the adapter opens the shadow database by overriding `database`, which a connection string would win over.
 */
export function migrateAdapter(url: string): PrismaPg {
  const u = new URL(url);
  return new PrismaPg({
    Client: CatalogTextClient,
    host: decodeURIComponent(u.hostname),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")),
    ...(u.searchParams.get("sslmode") && u.searchParams.get("sslmode") !== "disable" ? { ssl: { rejectUnauthorized: u.searchParams.get("sslmode") === "verify-full" } } : {}),
  });
}
