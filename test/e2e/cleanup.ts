// Run by test/e2e/global-teardown.ts: whatever the e2e tests left in the shared local cloud (a test that failed
// halfway) is torn down through Tripod's own teardown, so the next layer starts with the demo quota free.
import { createDb } from "@/lib/db";
import { tearDownEverything } from "../integration/lifecycle/harness";

const db = createDb();
tearDownEverything(db)
  .then(() => db.$disconnect())
  .catch((error: unknown) => {
    console.error(`e2e cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
