#!/usr/bin/env bash
# Fetches the Keycloak server distribution from Maven Central into the cache directory and runs its
# build step (database vendor, health, metrics) once; a changed version or build option rebuilds.
source "$(dirname "$0")/../lib/common.sh"
command -v mvn >/dev/null || fail "Maven is not installed; run scripts/install/prerequisites.sh."
build_options=(--db=postgres --health-enabled=true --metrics-enabled=true)
artifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz"
if [ ! -x "$KEYCLOAK_HOME_DIR/bin/kc.sh" ]; then
  step "Fetching Keycloak $KEYCLOAK_VERSION from Maven Central"
  download="$(mktemp -d)"
  mvn -q -B "$MAVEN_DEPENDENCY_PLUGIN:copy" -Dartifact="$artifact" -DoutputDirectory="$download"
  rm -rf "$KEYCLOAK_HOME_DIR.partial" && mkdir -p "$KEYCLOAK_HOME_DIR.partial"
  tar -xzf "$download/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$KEYCLOAK_HOME_DIR.partial" --strip-components=1
  rm -rf "$download" "$KEYCLOAK_HOME_DIR"
  mv "$KEYCLOAK_HOME_DIR.partial" "$KEYCLOAK_HOME_DIR"
fi
stamp="$KEYCLOAK_HOME_DIR/.built"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${build_options[*]}" ]; then
  step "Keycloak $KEYCLOAK_VERSION already built in $KEYCLOAK_HOME_DIR"
  exit 0
fi
step "Building Keycloak $KEYCLOAK_VERSION (${build_options[*]})"
"$KEYCLOAK_HOME_DIR/bin/kc.sh" build "${build_options[@]}"
echo "${build_options[*]}" > "$stamp"
