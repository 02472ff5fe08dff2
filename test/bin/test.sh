#!/usr/bin/env bash
# `npm test`: sets everything up and runs every test layer, each printing its own "N passed, N failed" line:
#   local OpenStack up (in the background, while the unit layer runs) → unit (vitest, test/unit)
#   → integration (vitest, test/integration, against the real local cloud), and beside it, one after the other:
#     vrrp (vitest, test/vrrp, real keepalived in network namespaces), the database-facing unit files on
#     PostgreSQL, next build
#   → integration on PostgreSQL (the lifecycle, runner and scale tests, Debian's postgresql started by the tests)
#   → e2e (Playwright + Debian's Chromium) → local OpenStack down, and a check that none of its processes is left.
# Every layer runs even when an earlier one failed; the exit status is non-zero if any failed.
# TRIPOD_KEEP_CLOUD=1 leaves the local cloud running afterwards (faster reruns).
set -uo pipefail
cd "$(dirname "$0")/../.."
source test/bin/env.sh
T0=$SECONDS
bash test/bin/setup.sh || { echo "setup failed"; exit 1; }
mkdir -p .tmp

failed=()
step() {
  local name=$1; shift
  local t0=$SECONDS
  echo "=== $name"
  if "$@"; then echo "=== $name: ok ($((SECONDS - t0)) s)"; else echo "=== $name: FAILED ($((SECONDS - t0)) s)"; failed+=("$name"); fi
}

# The cloud's start is mostly waiting on apt and on daemons: the unit layer runs meanwhile.
bash test/cloud/up.sh > .tmp/cloud-up.log 2>&1 &
cloud_pid=$!
step unit env TEST_SUITE=unit vitest run test/unit
cloud_up() {
  wait "$cloud_pid"
  local status=$?
  cat .tmp/cloud-up.log
  return $status
}
step cloud-up cloud_up
# The integration layer keeps the machine about half busy: most of its time is the cloud's, waiting on its own
# timers and on the tests' (test/bench/RESULTS.md, "The test suite's time"). The layers that need no cloud run
# beside it, one after the other, their output held until the integration layer is done: that saves about three
# minutes of the suite and costs the integration layer under one.
beside_integration() {
  failed=()
  step vrrp env TEST_SUITE=vrrp vitest run test/vrrp
  # The database-facing tests once more on PostgreSQL (each run a server of its own, 127.0.0.1:55432): the runner,
  # the concurrent drafts, the one-active-operation index, the VRRP ingest's rate limit under concurrent messages,
  # two people changing the same thing at once (races.test.ts: its row locks matter on PostgreSQL) and the raw SQL
  # of the poll, the clusters list, oversight, the cluster view and the VIP panel.
  step postgresql env TEST_SUITE=postgresql TRIPOD_TEST_DATABASE=postgresql vitest run \
    test/unit/lifecycle/runner.test.ts test/unit/data/clusters.test.ts test/unit/data/operation-exclusivity.test.ts \
    test/unit/vip/ingest.test.ts test/unit/data/cluster-poll.test.ts test/unit/data/read-rows.test.ts test/unit/data/cluster-list.test.ts \
    test/unit/data/oversight.test.ts test/unit/data/cluster-view.test.ts test/unit/vip/panel.test.ts test/unit/data/races.test.ts
  step build npm run build
  printf '%s\n' "${failed[@]}" > .tmp/beside-integration.failed
}
rm -f .tmp/beside-integration.failed
beside_integration > .tmp/beside-integration.log 2>&1 &
beside_pid=$!
step integration env TEST_SUITE=integration vitest run test/integration
wait "$beside_pid"
cat .tmp/beside-integration.log
if [[ -f .tmp/beside-integration.failed ]]; then
  while read -r name; do [[ -n "$name" ]] && failed+=("$name"); done < .tmp/beside-integration.failed
else
  failed+=(beside-integration)
fi
# Then, on PostgreSQL and the build: the full lifecycle, crash-resume and test/scale (two dashboards of the build and
# two workers on one database; PostgreSQL restarting, and going silent in a network namespace). A run of its own:
# the lifecycle files tear down whatever their database holds, so they must not share it with the unit files above.
# Fault injection stays on SQLite (it tests the OpenStack side).
step integration-postgresql env TEST_SUITE=integration-postgresql TRIPOD_TEST_DATABASE=postgresql vitest run \
  test/integration/lifecycle/full-lifecycle.test.ts test/integration/lifecycle/crash-resume.test.ts test/scale
step e2e playwright test
if [[ "${TRIPOD_KEEP_CLOUD:-0}" != 1 ]]; then
  step cloud-down bash test/cloud/down.sh
  step cloud-down-check bash test/cloud/check-down.sh
fi

echo "total: $((SECONDS - T0)) s"
if ((${#failed[@]})); then
  echo "failed layers: ${failed[*]}"
  exit 1
fi
echo "all layers passed"
