import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// TRIPOD_TEST_DATABASE=postgresql runs the files against PostgreSQL (test/global-setup.ts starts the server).
const database =
  process.env.TRIPOD_TEST_DATABASE === "postgresql"
    ? `postgresql://tripod@127.0.0.1:${process.env.TRIPOD_PG_PORT ?? 55432}/vitest_${process.pid}`
    : `file:./.tmp/vitest-${process.pid}.db`;

// One config for every vitest layer; pick the layer by path: `vitest run test/unit`, `test/integration`, `test/vrrp`,
// `test/scale` (PostgreSQL only).
// TEST_SUITE names the layer in the closing "N passed, N failed" line that CI reads.
export default defineConfig({
  resolve: {
    alias: [
      { find: "@", replacement: fileURLToPath(new URL(".", import.meta.url)) },
      // Tests run server code outside React's server environment; `server-only` answers that environment with its
      // empty module, as Next's server bundles do.
      { find: "server-only", replacement: fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)) },
      // PatternFly's CommonJS build requires its .css files, which Node.js cannot load; its ES modules import them
      // through Vite, which leaves CSS out of tests (server.deps below), so that test/unit/ui can render components.
      ...["react-core", "react-table"].map((name) => ({
        find: new RegExp(`^@patternfly/${name}$`),
        replacement: fileURLToPath(new URL(`node_modules/@patternfly/${name}/dist/esm/index.js`, import.meta.url)),
      })),
    ],
  },
  test: {
    include: ["test/{unit,integration,vrrp,scale}/**/*.test.ts"],
    environment: "node",
    reporters: ["default", "./test/reporters/vitest-summary.ts"],
    // A database per run (test/global-setup.ts migrates it, then removes it), and a fixed key: tests of
    // sealed secrets must not depend on the developer's environment.
    env: { DATABASE_URL: database, TRIPOD_SECRET_KEY: "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMzJieXQ=" },
    globalSetup: ["test/global-setup.ts"],
    // Integration layers talk to real services; their files set longer per-test timeouts where needed.
    testTimeout: 20_000,
    hookTimeout: 120_000,
    fileParallelism: process.env.TEST_SUITE === "unit" || !process.env.TEST_SUITE,
    // Vitest's default is one worker fewer than the machine has cores: one here. The unit files wait on their
    // databases and timers often enough that a worker per core takes the layer from 180 s to about 100 (measured).
    maxWorkers: availableParallelism(),
    server: { deps: { inline: [/@patternfly\//] } },
  },
});
