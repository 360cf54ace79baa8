#!/usr/bin/env bash
# `npm test`: installs and builds what is missing, then runs the whole jest suite serially (unit tests, then
# the integration and e2e tests against one real cluster that test/cluster-setup.ts starts and stops).
# When a test fails, the tail of each component's log (kept by the teardown in .test-logs/) is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/install.sh
# ts-jest runs the tests without type checks (fast, isolated modules): check them, with the sources, here.
npx tsc -p tsconfig.test.json
# Per-test ceiling; the whole suite is meant to stay well under 20 minutes.
rc=0
npx jest --runInBand --testTimeout="${KUBETS_TEST_TIMEOUT_MS:-120000}" "$@" || rc=$?
if [ "$rc" -ne 0 ] && [ -d .test-logs ]; then
  for f in .test-logs/*.log; do
    [ -f "$f" ] || continue
    printf '\n==== last 60 lines of %s ====\n' "$f"
    tail -n 60 "$f"
  done
fi
exit "$rc"
