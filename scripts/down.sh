#!/usr/bin/env bash
# Stops the local suite; data stays in .local/.
exec bash "$(dirname "$0")/stack.sh" down "$@"
