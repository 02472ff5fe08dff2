// `tsx lib/cli/first-start.ts` — run by `npm run serve` (and the demo) after the migrations: makes the database file
// readable by its owner only, and on a database without users creates one administrator. Its password comes from
// TRIPOD_ADMIN_PASSWORD or is generated and printed here, once; nothing else ever prints it.
import { chmodSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createDb } from "@/lib/db";
import { sqliteFiles } from "@/lib/db-url";
import { hashPassword } from "@/lib/auth/credentials";
import { passwordProblem } from "@/lib/auth/password-rules";

async function main() {
  const url = process.env.DATABASE_URL ?? "file:./tripod.db";
  for (const f of sqliteFiles(url)) if (existsSync(f)) chmodSync(f, 0o600);
  const db = createDb(url);
  try {
    if ((await db.user.count()) > 0) return;
    const username = process.env.TRIPOD_ADMIN_USERNAME ?? "admin";
    const given = process.env.TRIPOD_ADMIN_PASSWORD;
    if (given) {
      const problem = passwordProblem(given, username);
      if (problem) throw new Error(`TRIPOD_ADMIN_PASSWORD: ${problem}`);
    }
    const password = given ?? randomBytes(18).toString("base64url");
    await db.user.create({ data: { username, role: "admin", passwordHash: await hashPassword(password) } });
    console.log(
      given
        ? `Tripod: created the administrator "${username}" with the password from TRIPOD_ADMIN_PASSWORD.`
        : `Tripod: created the administrator "${username}" with the password ${password}\n` +
            "        It is shown only this once: sign in and change it under Your account (top right).",
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(`first start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
