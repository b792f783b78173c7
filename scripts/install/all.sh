#!/usr/bin/env bash
# Installs everything the system needs, each step idempotent: npm dependencies and the TypeScript
# build, apt packages, Fabric and Fabric CA, Helm and the manifest validator, stripe-mock, Kafka,
# Keycloak, schemathesis.
# `npm start` and `npm test` both call it.
source "$(dirname "$0")/../lib/common.sh"
for installer in node-deps prerequisites fabric helm stripe-mock schemathesis kafka keycloak; do
  bash "$P2P_ROOT/scripts/install/$installer.sh"
done
