// Shared by playwright.config.ts and the e2e global teardown: the e2e server's database and sealing key, and the
// demo server's database (its key is the one `npm run demo` generated into ./.env); and how Chromium is started, by
// Playwright's tests and by those of other layers that look at a page (test/scale/postgres-restart.test.ts).
export const E2E_DATABASE_URL = "file:./.tmp/e2e.db";
export const E2E_SECRET_KEY = "ZTJlLWtleS1lMmUta2V5LWUyZS1rZXktMzJieXRlcyE=";
export const DEMO_E2E_DATABASE_URL = "file:./.tmp/demo-e2e.db";

/** Debian's Chromium (never `playwright install`), headless, asking nothing of any host but this one. */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    // Chromium still resolves Google hosts despite the flags above: resolve every other name to NOTFOUND.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
  ],
};
