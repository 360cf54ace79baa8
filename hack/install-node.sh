#!/usr/bin/env bash
# Installs the node's runtime stack when missing (called by hack/install.sh): containerd, runc, the CNI
# plugins (/usr/lib/cni), iptables, and umoci + busybox-static to build the node's images offline.
# kubets runs its own containerd per cluster (config, root and socket under the data dir); Debian's
# containerd.service, if the package starts it, uses /run/containerd and does not disturb ours, but it is
# stopped and disabled so that only containers kubets started run on this machine.
set -euo pipefail

log() { echo "install-node: $*" >&2; }

missing=()
command -v containerd >/dev/null 2>&1 || missing+=(containerd)
command -v runc >/dev/null 2>&1 || missing+=(runc)
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/portmap ] || missing+=(containernetworking-plugins)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v umoci >/dev/null 2>&1 || missing+=(umoci)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx httpd || missing+=(busybox-static)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing ${missing[*]} and installing needs root: run as root, or apt-get install ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet containerd 2>/dev/null; then
    log "stopping and disabling Debian's containerd.service (kubets starts its own containerd per cluster)"
    systemctl disable --now containerd >/dev/null 2>&1 || true
  fi
fi
