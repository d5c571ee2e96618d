#!/usr/bin/env bash
# All of the project's tests, as the README's quick start (line 2) and CI (.ci/run) run them:
# install what a fresh clone lacks, lint and format check (Biome), unit and integration tests (vitest) on SQLite, the
# integration tests again on a throw-away PostgreSQL server, one production build, type
# checks, dead code (knip), the end-to-end stories in Debian's Chromium (Playwright), then the
# specs that start their own servers (kill tests; two servers on one PostgreSQL database).
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

step "lint and format (biome ci: zero findings, code formatted)"
npx biome ci .

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

# The integration tests: every test file under app/api, lib/server and lib/db, and any other
# that uses the test harness's useTestDatabase. scripts/with-postgres.sh installs Debian's
# postgresql when missing, starts a server in a temporary folder, sets DATABASE_URL, and
# stops and removes it afterwards; the harness gives each test file its own database.
INTEGRATION_TESTS=$( (ls -d app/api lib/server lib/db; grep -rl --include='*.test.ts' useTestDatabase app lib components solver-worker 2>/dev/null) | sort -u)
step "integration tests on PostgreSQL (scripts/with-postgres.sh)"
bash scripts/with-postgres.sh npx vitest run $INTEGRATION_TESTS

step "production build (next build, with its type check)"
npx next build

step "type checks: app and tests, solver worker (lib webworker)"
npm run -s typecheck
npm run -s typecheck:worker

step "dead code (knip)"
npx knip

step "end-to-end tests (Playwright + $CHROMIUM)"
npx playwright test

step "kill tests and two servers on one PostgreSQL database (Playwright, servers of their own)"
bash scripts/with-postgres.sh sh -c 'FLEXPLAT_E2E_PG_URL="$DATABASE_URL" exec npx playwright test -c playwright.servers.config.ts'

step "all tests passed"
