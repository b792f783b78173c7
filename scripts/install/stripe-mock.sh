#!/usr/bin/env bash
# Builds stripe-mock, the local payment provider, from its pinned Go module into the cache directory.
# Idempotent: kept while the binary reports the pinned version. Stripe's API description and fixtures
# are embedded in the module, so nothing but the Go module proxy is reached.
source "$(dirname "$0")/../lib/common.sh"

command -v go >/dev/null || fail "Go is not installed; stripe-mock $STRIPE_MOCK_VERSION is built from its Go module."
stripe_mock_module="github.com/stripe/stripe-mock"
if "$STRIPE_MOCK_BIN" -version 2>/dev/null | grep -qx "stripe-mock v$STRIPE_MOCK_VERSION"; then
  step "stripe-mock $STRIPE_MOCK_VERSION already built in $(dirname "$STRIPE_MOCK_BIN")"
else
  step "Building $stripe_mock_module@v$STRIPE_MOCK_VERSION"
  mkdir -p "$(dirname "$STRIPE_MOCK_BIN")"
  # An exact version needs no version listing from the proxy, so `go install` suffices here. The
  # version is stamped as its release build does (GoReleaser), so the check above can read it.
  GOBIN="$(dirname "$STRIPE_MOCK_BIN")" CGO_ENABLED=0 go install -trimpath \
    -ldflags "-X main.version=v$STRIPE_MOCK_VERSION" "$stripe_mock_module@v$STRIPE_MOCK_VERSION" ||
    fail "could not build stripe-mock $STRIPE_MOCK_VERSION from the Go module proxy"
fi
