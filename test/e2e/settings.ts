// Shared by playwright.config.ts and the e2e global teardown: the e2e server's database and sealing key, and the
// demo server's database (its key is the one `npm run demo` generated into ./.env).
export const E2E_DATABASE_URL = "file:./.tmp/e2e.db";
export const E2E_SECRET_KEY = "ZTJlLWtleS1lMmUta2V5LWUyZS1rZXktMzJieXRlcyE=";
export const DEMO_E2E_DATABASE_URL = "file:./.tmp/demo-e2e.db";
