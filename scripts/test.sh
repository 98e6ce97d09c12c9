#!/usr/bin/env bash
# Every test on one database: lint (when configured), unit + integration (vitest, real database) and
# end-to-end (Playwright, production build). Screenshots are their own command: npm run screens.
# Database: embedded PGlite by default; the PostgreSQL server at DATABASE_URL when it is set.
# Arguments go to Playwright: `npm test -- --grep @smoke`. CI (.ci/run) runs vitest on both databases,
# every Playwright test on PostgreSQL, and this script on PGlite with Playwright limited to @smoke|@pglite.
# TEST_SKIP_BUILD=1 reuses an existing production build.
# FUZZ_RUNS=10000 runs the database-backed fuzz properties in full (default: a few hundred cases each).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

[ -d node_modules ] || npm ci
bash scripts/ensure-browser.sh

if [ -z "${TEST_SKIP_BUILD:-}" ] || [ ! -f .next/BUILD_ID ]; then
  npx next build
fi

npm run lint --if-present

echo "== unit and integration tests (database: $([ -n "${DATABASE_URL:-}" ] && echo "PostgreSQL server" || echo "embedded PGlite"))"
npx vitest run
# Keep the last few end-to-end run folders (screens, traces) and drop older ones.
ls -dt tests/.tmp/e2e-* 2>/dev/null | tail -n +4 | xargs -r rm -rf || true
echo "== end-to-end tests"
npx playwright test "$@"
