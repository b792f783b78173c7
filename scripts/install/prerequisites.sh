#!/usr/bin/env bash
# System packages from Debian's apt that the project needs, installed only when missing.
source "$(dirname "$0")/../lib/common.sh"
missing=()
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v gcc >/dev/null || missing+=(gcc)
if [ "${#missing[@]}" -gt 0 ]; then
  step "Installing with apt: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
