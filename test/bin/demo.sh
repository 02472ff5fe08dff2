#!/usr/bin/env bash
# `npm run demo`: sets everything up and serves the dashboard on http://127.0.0.1:3000 with an embedded default:
# a SQLite file (./tripod.db), generated secrets in ./.env, the demo accounts, and the local OpenStack cloud
# (test/cloud) registered for project "demo" so that a cluster can be created right away.
#   TRIPOD_DEMO_CLOUD=0   skip the local cloud (dashboard only)
#   TRIPOD_DEMO_LAB=1     a cluster created on the local cloud gets its nodes played by network namespaces
#                         (test/vrrp/lab/demo.ts: its rendered keepalived, haproxy, redirect monitor and VIP agent)
#   PORT=3000             port on 127.0.0.1
#   DATABASE_URL          another database file (default file:./tripod.db)
# Variables already set in the environment win over ./.env.
set -euo pipefail
cd "$(dirname "$0")/../.."
source test/bin/env.sh
bash test/bin/setup.sh

if [[ ! -f .env ]]; then
  key=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')
  auth=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')
  (umask 077 && printf 'TRIPOD_SECRET_KEY=%s\nNEXTAUTH_SECRET=%s\n' "$key" "$auth" > .env)
  echo "demo: generated TRIPOD_SECRET_KEY (seals cloud credentials at rest) and NEXTAUTH_SECRET into ./.env — keep that file"
fi
while IFS='=' read -r name value; do
  [[ -n "$name" && "$name" != \#* && -z "${!name:-}" ]] && export "$name=$value"
done < .env
export DATABASE_URL="${DATABASE_URL:-file:./tripod.db}"
export PORT="${PORT:-3000}"
export NEXTAUTH_URL="http://127.0.0.1:$PORT"

chmod 600 .env
(umask 077 && prisma migrate deploy >/dev/null)
tsx lib/cli/seed.ts
tsx lib/cli/first-start.ts # owner-only database file
if [[ "${TRIPOD_DEMO_CLOUD:-1}" != 0 ]]; then
  bash test/cloud/up.sh
  tsx lib/cli/register-cloud.ts --project demo --cloud tripod-demo --clouds-yaml "$TRIPOD_CLOUD_STATE/clouds.yaml" --name local
fi
# Build only when a source is newer than the last build (the generated Prisma client is not a source: setup may
# regenerate it, and a rebuild under the e2e layer's other server would swap the chunks it serves).
if [[ ! -f .next/BUILD_ID || ! -f .next/tripod/cli/serve.js || -n "$(find app lib fakeroot prisma public package.json next.config.ts proxy.ts instrumentation.ts tsconfig.server.json -path lib/generated -prune -o -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]]; then
  npm run build
fi
if [[ "${TRIPOD_DEMO_LAB:-0}" == 1 && "${TRIPOD_DEMO_CLOUD:-1}" != 0 ]]; then
  # The nodes reach the dashboard's ingest at the lab client's address, relayed to this port; the dashboard's lab
  # control talks to the driver on its socket. The driver runs in a session of its own and follows this process
  # (after the exec below, the dashboard's): when it is gone, the lab goes down too.
  export TRIPOD_DEMO_LAB_SOCKET=/run/tdemo.sock
  export TRIPOD_INGEST_URL="${TRIPOD_INGEST_URL:-http://198.51.100.100:8080/api/vrrp/ingest}"
  mkdir -p .tmp
  setsid node --import tsx test/vrrp/lab/demo.ts "$PORT" $$ >.tmp/demo-lab.log 2>&1 </dev/null &
  echo "demo: the demo lab plays the local cloud's cluster nodes (log: .tmp/demo-lab.log)"
fi
echo "demo: Tripod on $NEXTAUTH_URL (Ctrl-C stops the dashboard; 'npm run cloud:down' stops the local cloud)"
exec env TRIPOD_BIND_ADDRESS=127.0.0.1 NODE_ENV=production node .next/tripod/cli/serve.js
