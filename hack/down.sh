#!/usr/bin/env bash
# `npm run down`: stops the local cluster's processes (`-- --purge` also deletes its data and context).
set -euo pipefail
cd "$(dirname "$0")/.."
# Never install packages just to stop a cluster; only build if there is nothing to run.
if [ ! -f dist/src/cli.js ]; then npm run --silent build; fi
exec node dist/src/cli.js down "$@"
