#!/usr/bin/env bash
# All of the project's tests, as the README's quick start (line 2) and CI (.ci/run) run them:
# install what a fresh clone lacks, unit and integration tests (vitest), one production
# build, type checks, then the end-to-end stories in Debian's Chromium (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(($(date +%s) - t0))"; }

if [ ! -x node_modules/.bin/next ] || [ ! -d node_modules/@prisma/client ]; then
  step "npm ci (no node_modules yet)"
  npm ci
fi

step "setup: Prisma client, public/highs.wasm"
npm run -s setup

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  step "installing Debian's chromium (Playwright cannot download browsers here)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi

step "unit and integration tests (vitest)"
npx vitest run

step "production build (next build, with its type check)"
npx next build

step "type checks: app and tests, solver worker (lib webworker)"
npm run -s typecheck
npm run -s typecheck:worker

step "end-to-end tests (Playwright + $CHROMIUM)"
npx playwright test

step "all tests passed"
