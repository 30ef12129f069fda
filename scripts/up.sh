#!/usr/bin/env bash
# Brings the whole suite up locally with demo data (see scripts/stack.sh).
exec bash "$(dirname "$0")/stack.sh" up "$@"
