#!/usr/bin/env bash
# Brings the whole suite up locally with demo data (see scripts/stack.sh).
bash "$(dirname "$0")/stack.sh" up "$@" || exit $?
# The cadre service's demo province: 3,000+ cadres with ten years of history, generated
# deterministically and loaded once into its database (a second run says "already loaded").
"${LOCALGOV_BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build}/tools/localgovctl/localgovctl" \
  cadre load-demo \
  --database-url "postgresql://postgres@127.0.0.1:${LOCALGOV_PG_PORT:-55432}/localgov_cadre"
