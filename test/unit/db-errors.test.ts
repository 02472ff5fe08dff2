import { describe, expect, it } from "vitest";
import { DatabaseUnavailableError, isDatabaseUnavailable, isDriverConnectionError, outageText } from "@/lib/db-errors";
import { serverSilentError } from "@/lib/db-postgres";
import { Prisma } from "@/lib/generated/prisma/client";

// lib/db-errors.ts on what a PostgreSQL server gone silent gives (lib/db-postgres.ts; the shapes as Prisma 6.19 and
// node-postgres 8.23 report them, seen in test/scale/postgres-blackhole.test.ts): each is the database being
// unavailable, while a statement's own failure is not.

const CLIENT_VERSION = "6.19.3";
/** A statement's failure as Prisma reports one its PostgreSQL adapter gave (meta.driverAdapterError). */
const prismaError = (code: string, message: string, cause: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(message, { code, clientVersion: CLIENT_VERSION, meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });

describe("a server gone silent", () => {
  it("fails lib/db.ts's own statements as the database being unavailable, in a line that says why", () => {
    const silent = serverSilentError(30_000);
    expect(isDriverConnectionError(silent)).toBe(true);
    const error = new DatabaseUnavailableError(silent);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(outageText(error)).toBe("the database server did not answer within 30 s (socket_timeout)");
  });

  it("fails Prisma's statements as the database being unavailable: its adapter reports a socket timeout", () => {
    const socketTimeout = { kind: "SocketTimeout" };
    expect(isDatabaseUnavailable(prismaError("P1008", "\nInvalid `db.user.count()` invocation:\n\n\nOperation has timed out", socketTimeout))).toBe(true);
    // a raw statement ($queryRaw, $executeRaw)
    expect(isDatabaseUnavailable(prismaError("P2010", "Raw query failed. Code: `N/A`. Message: `Operation has timed out`", socketTimeout))).toBe(true);
    // a statement's own failure through the same door is not
    const duplicate = { kind: "postgres", code: "23505", severity: "ERROR", message: "duplicate key value violates unique constraint" };
    expect(isDatabaseUnavailable(prismaError("P2010", "Raw query failed. Code: `23505`.", duplicate))).toBe(false);
  });

  it("fails what node-postgres passes on as it is: no connection in time, or one that broke under a transaction", () => {
    for (const message of ["Connection terminated due to connection timeout", "timeout exceeded when trying to connect", "Client has encountered a connection error and is not queryable"]) {
      expect(isDatabaseUnavailable(new Error(message)), message).toBe(true);
    }
  });
});
