# Sourced by the entry scripts: settings every command of this project runs with.
export CHECKPOINT_DISABLE=1          # Prisma CLI: no version check against the internet
export NEXT_TELEMETRY_DISABLED=1     # Next.js: no telemetry
export PATH="$PWD/node_modules/.bin:$PATH"
export TRIPOD_CLOUD_STATE="${TRIPOD_CLOUD_STATE:-/var/tmp/tripod-cloud}"
