#!/usr/bin/env bash
# `npm test`: installs and builds what is missing, then runs the whole jest suite serially (unit tests, then
# the integration and e2e tests against one real cluster that test/cluster-setup.ts starts and stops).
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/install.sh
# Per-test ceiling; the whole suite is meant to stay well under 20 minutes.
exec npx jest --runInBand --testTimeout="${KUBETS_TEST_TIMEOUT_MS:-120000}" "$@"
