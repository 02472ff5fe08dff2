#!/usr/bin/env bash
# Playwright's web server: a fresh SQLite file, the committed migrations, the demo accounts and the local cloud,
# then the production build (`npm run build` must have run) on 127.0.0.1:$E2E_PORT, with its lifecycle worker.
set -euo pipefail
cd "$(dirname "$0")/../.."
source test/bin/env.sh
mkdir -p .tmp
db="${DATABASE_URL#file:}"
rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
prisma migrate deploy >/dev/null
tsx lib/cli/seed.ts >/dev/null
# The local cloud (brought up by npm test before this layer) is registered for project demo.
tsx lib/cli/register-cloud.ts --project demo --cloud tripod-demo --clouds-yaml "$TRIPOD_CLOUD_STATE/clouds.yaml" --name local
# Everything the server writes also goes to a file: the secrets scan (zz-secrets.spec.ts) reads it at the end.
: > .tmp/e2e-server.log
exec > >(tee -a .tmp/e2e-server.log) 2>&1
exec env TRIPOD_BIND_ADDRESS=127.0.0.1 PORT="${E2E_PORT:-3100}" NODE_ENV=production node .next/tripod/cli/serve.js
