#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then ctest runs the unit, integration
# (real PostgreSQL 15 and Redis 7 started by the harness) and end-to-end suites.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${LOCALGOV_BUILD_DIR:-$ROOT/build}"
[ "${LOCALGOV_SKIP_INSTALL:-0}" = 1 ] || bash "$ROOT/scripts/install-deps.sh"
bash "$ROOT/scripts/build.sh"
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 1200 "$@"
