#!/usr/bin/env bash
# `npm run bench`: installs dependencies if the project has an installer, rebuilds when sources are
# newer than the build, then runs the apiserver-vs-raw-etcd benchmark (flags pass through) and the
# node section (proxy sync times, DNS under dnsperf load); `--proxy-only` runs just the proxy figures.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f hack/install.sh ]; then
  bash hack/install.sh
fi

# Rebuild only when something is missing or stale: a full build (tsc + OpenAPI generation) is slow.
needs_build() {
  [ -f dist/src/cli.js ] && [ -f dist/bench/main.js ] || return 0
  [ -n "$(find src bench hack -name '*.ts' -newer dist/bench/main.js -print -quit 2>/dev/null)" ] && return 0
  [ -n "$(find src bench hack -name '*.ts' -newer dist/src/cli.js -print -quit 2>/dev/null)" ]
}
if needs_build; then
  npm run build
fi

# --proxy-only: just the proxy sync figures (no cluster, no DNS load), for work on the proxy.
if [ "${1:-}" = "--proxy-only" ]; then
  exec node dist/bench/proxy-dns.js --proxy-only
fi
node dist/bench/main.js "$@"
exec node dist/bench/proxy-dns.js
