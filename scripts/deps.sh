#!/usr/bin/env bash
# Installs the Debian packages Lianxin needs to build, test and run. Idempotent: runs
# `apt-get update` once, and only when something is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache
  libboost1.81-dev libboost-system1.81-dev
  libhiredis-dev nlohmann-json3-dev libqrencode-dev libssl-dev libxlsxwriter-dev libgoogle-perftools-dev libsimdjson-dev
  googletest libgtest-dev libgmock-dev
  redis-server curl unzip
  zbar-tools librsvg2-bin fonts-noto-cjk
  chromium
)
# Node.js and npm run the cross-check tests; the machine image may already have them.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian enables a system redis-server service on install; Lianxin and its tests start their
# own on unix sockets, so a running system instance is harmless but not needed.
true
