// `tsx lib/cli/seed.ts` — creates the demo accounts in DATABASE_URL's database (only the demo and the tests do).
import { createDb } from "@/lib/db";
import { DEMO_USERS, seedUsers } from "@/lib/data/seed";

async function main() {
  const db = createDb();
  try {
    await seedUsers(db, DEMO_USERS);
    // The demo's passwords are published in README.md; they are never written to a log.
    console.log("Demo accounts (passwords in README.md, section \"The two commands\"):");
    for (const u of DEMO_USERS) console.log(`  ${u.username.padEnd(6)} ${u.role}${u.projects.length ? ` of project ${u.projects.map((p) => p.name).join(", ")}` : ""}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(`seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
