#!/usr/bin/env bash
# System packages from Debian's apt that the project needs, installed only when missing.
source "$(dirname "$0")/../lib/common.sh"
missing=()
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v gcc >/dev/null || missing+=(gcc)
[ -x "/usr/lib/postgresql/$POSTGRES_MAJOR/bin/postgres" ] || missing+=("postgresql-$POSTGRES_MAJOR")
command -v redis-server >/dev/null || missing+=(redis-server)
command -v java >/dev/null || missing+=("openjdk-$JAVA_MAJOR-jre-headless")
command -v mvn >/dev/null || missing+=(maven)
# Python with venv, for the API fuzzer schemathesis (scripts/install/schemathesis.sh).
command -v python3 >/dev/null || missing+=(python3)
{ command -v python3 >/dev/null && python3 -m venv --help >/dev/null 2>&1; } || missing+=(python3-venv)
# Debian's Chromium, which the console's browser tests drive with playwright-core (no browser download).
command -v chromium >/dev/null || missing+=(chromium)
# The TrueType font the benchmark's PNG chart draws its labels with (bench/src/chart.ts).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "${#missing[@]}" -gt 0 ]; then
  step "Installing with apt: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
redis_version="$(redis-server --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')"
[ "${redis_version%%.*}" = "$REDIS_MAJOR" ] || fail "Redis $REDIS_MAJOR is required (apt installed $redis_version)."
