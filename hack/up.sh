#!/usr/bin/env bash
# `npm run up`: installs whatever is missing, builds, then starts (or re-checks) the local cluster.
# Flags are passed to `kubets up` (see README.md); re-running is harmless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/install.sh
exec node dist/src/cli.js up "$@"
