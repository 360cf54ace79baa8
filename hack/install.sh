#!/usr/bin/env bash
# Installs what kubets needs, only what is missing, quietly and idempotently: etcd from Debian's archive,
# the node's runtime stack (hack/install-node.sh), the npm dependencies, and a build of dist/ whenever the sources are newer than the last build.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "install: $*" >&2; }

if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    log "etcd is missing and installing it needs root: run as root, or apt-get install etcd-server etcd-client"
    exit 1
  fi
  log "installing etcd-server and etcd-client (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends etcd-server etcd-client >/dev/null
  # Debian starts its own etcd service on 2379/2380; kubets runs its own etcd per cluster, so keep the
  # system one from holding the ports the default cluster wants.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
    log "stopping and disabling Debian's etcd.service (kubets starts its own etcd)"
    systemctl disable --now etcd >/dev/null 2>&1 || true
  fi
fi

# The node's runtime stack (containerd, runc, CNI plugins, iptables, image tools).
bash "$(dirname "$0")/install-node.sh"
# The proxy programs iptables (iptables-restore/-save) and the benchmark loads the DNS with dnsperf.
missing_pkgs=()
command -v iptables-restore >/dev/null 2>&1 || missing_pkgs+=(iptables)
command -v dnsperf >/dev/null 2>&1 || missing_pkgs+=(dnsperf)
if [ ${#missing_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "not root: skipping ${missing_pkgs[*]} (kubets proxy and the DNS benchmark need them)"
  else
    log "installing ${missing_pkgs[*]} (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >/dev/null
  fi
fi

# npm writes node_modules/.package-lock.json on every install, so it dates the installed tree.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
  log "installing npm dependencies"
  # `npm install` follows package-lock.json too; `npm ci` (npm 11) wrongly rejects this lockfile for
  # other platforms' optional packages (@unrs/resolver-binding-*) that npm itself leaves out of it.
  npm install --no-audit --no-fund --loglevel=error >/dev/null
  touch "$stamp"
fi

# Rebuild when any TypeScript source, proto file or build config is newer than the last successful build.
built=dist/.build-stamp
if [ ! -f "$built" ] || [ ! -f dist/src/cli.js ] \
  || [ -n "$(find src hack bench proto tsconfig.json package.json package-lock.json -newer "$built" \
        \( -name '*.ts' -o -name '*.proto' -o -name '*.json' \) -print -quit 2>/dev/null)" ]; then
  log "building (npm run build)"
  # Stamp the time the build started, so a source saved during the build still triggers the next one.
  mkdir -p dist && touch "$built.new"
  # Quiet on success, but a failed build must show the compiler's errors (tsc prints them on stdout).
  if ! out=$(npm run --silent build 2>&1); then
    printf '%s\n' "$out" >&2
    rm -f "$built.new"
    log "build failed"
    exit 1
  fi
  mv "$built.new" "$built"
fi
