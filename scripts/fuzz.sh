#!/usr/bin/env bash
# Fuzzing (libFuzzer + ASan + UBSan, clang-15, its own build folder): the in-process targets of
# tests/fuzz (request validators of each service, tokens, envelopes and the signed log, the
# directory snapshot reader, the settings' parsers: no database, thousands of runs a second),
# then rpc_fuzz (every unary RPC of the dossier, liaison and petition services through real gRPC
# to in-process services on a real PostgreSQL and Redis that it starts itself). Fails on any
# crash, sanitizer report (leaks included for the in-process targets), broken property, or
# INTERNAL/UNKNOWN answer.
#   scripts/fuzz.sh              CI's short schedule: each in-process target for
#                                LOCALGOV_FUZZ_UNIT_SECONDS (default 15) on its kept corpus
#                                (tests/fuzz/corpus/<target>/), then rpc_fuzz for 60 s
#   scripts/fuzz.sh 3600         the same, rpc_fuzz for an hour
#   scripts/fuzz.sh --long [T…]  each in-process target (or those named) to LOCALGOV_FUZZ_RUNS
#                                executions (default 10000000), one after the other, printing
#                                executions, seconds, exec/s, corpus and result per target
#                                (docs/reliability.md, "Fuzzing"); LOCALGOV_FUZZ_MAX_SECONDS
#                                stops each target earlier on a busy machine
#   scripts/fuzz.sh --replay TARGET FILE…  runs the inputs once through an in-process target
#   scripts/fuzz.sh 0 FILE…      runs the inputs once through rpc_fuzz (a finding's reproducer),
#                                printing each call's answer, known findings included
#                                (tests/fuzz/findings/)
# Installs nothing: scripts/install-deps.sh brings clang-15 and libFuzzer.
# LOCALGOV_FUZZ_BUILD_DIR: the build folder (default build-fuzz); LOCALGOV_FUZZ_SKIP_BUILD=1
# uses the targets already built there. The corpora the runs grow are
# kept in <build>/fuzz/<target>/corpus; crashes are saved in <build>/fuzz/<target>/artifacts.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${LOCALGOV_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
UNIT_TARGETS=(dossier_request_fuzz liaison_request_fuzz petition_request_fuzz cadre_request_fuzz
  jwt_fuzz page_token_fuzz envelope_fuzz directory_fuzz config_fuzz)

MODE=short
case "${1:-}" in
  --long) MODE=long; shift ;;
  --replay) MODE=replay; shift ;;
esac
SECS=60
if [ "$MODE" = short ]; then
  SECS="${1:-60}"
  shift || true
fi

for tool in clang-15 clang++-15 cmake ninja; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fuzz: $tool is missing: run scripts/install-deps.sh" >&2
    exit 1
  fi
done

launcher=()
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR="$ROOT"
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

# Leak checking is off for rpc_fuzz (its services live until exit by design) and on for the
# in-process targets. UBSan halts on its first report (the code is built with
# -fno-sanitize-recover), which libFuzzer saves as a crash.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# A 16 MB quarantine of freed memory (ASan's default is 256 MB): OpenSSL's decoders and
# libjwt make thousands of small allocations per token, and with the default quarantine jwt_fuzz
# ran ~400 inputs a second, its RSS climbing as the quarantine filled and evicted; with 16 MB
# about 3,000 (docs/reliability.md, "To 10M"). A use after free is still caught while the block
# is among the last 16 MB freed: a use later in the same input (each of these targets frees far
# less than that per input).
UNIT_ASAN="detect_leaks=1:abort_on_error=0:handle_abort=1:allocator_may_return_null=1:quarantine_size_mb=16"
RPC_ASAN="detect_leaks=0:abort_on_error=0:handle_abort=1:allocator_may_return_null=1"
# Stack traces with function names and lines (llvm-15 from install-deps).
if [ -x /usr/lib/llvm-15/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-15/bin/llvm-symbolizer
  export UBSAN_SYMBOLIZER_PATH=/usr/lib/llvm-15/bin/llvm-symbolizer
fi

build() {
  if [ -n "${LOCALGOV_FUZZ_SKIP_BUILD:-}" ]; then return 0; fi
  local start
  start=$(date +%s)
  echo "fuzz: building $* in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 -DLOCALGOV_FUZZ=ON \
    "${launcher[@]}" >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)" --target "$@"
  echo "fuzz: build took $(($(date +%s) - start)) s"
}

# run_unit TARGET LIBFUZZER-ARGS…: one in-process target on its kept corpus; prints a line
# "TARGET runs seconds exec/s corpus result" and returns libFuzzer's exit code.
run_unit() {
  local target=$1
  shift
  local bin="$BUILD_DIR/tests/fuzz/$target" work="$BUILD_DIR/fuzz/$target"
  local kept="$ROOT/tests/fuzz/corpus/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  if [ ! -d "$kept" ]; then
    echo "fuzz: $target has no kept corpus in $kept" >&2
    return 1
  fi
  local log="$work/last-run.log" start rc
  start=$(date +%s)
  set +e
  ASAN_OPTIONS="$UNIT_ASAN" "$bin" "$@" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" "$kept" >"$log" 2>&1
  rc=$?
  set -e
  local secs runs rate corpus result=clean
  secs=$(($(date +%s) - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$work/corpus" "$kept" -type f | wc -l)
  if [ "$rc" != 0 ]; then
    result="FAILED (exit $rc)"
    tail -n 60 "$log" >&2
    echo "fuzz: $target failed; inputs in $work/artifacts:" >&2
    ls -1 "$work/artifacts" >&2 || true
    echo "fuzz: reproduce with  scripts/fuzz.sh --replay $target <input>" >&2
  fi
  printf '%-22s %12s %8s %8s %7s  %s\n' "$target" "${runs:-?}" "$secs" "${rate:-?}" "$corpus" \
    "$result"
  return "$rc"
}

header() {
  printf '%-22s %12s %8s %8s %7s  %s\n' target executions seconds exec/s corpus result
}

if [ "$MODE" = replay ]; then
  target=$1
  shift
  build "$target"
  ASAN_OPTIONS="$UNIT_ASAN" "$BUILD_DIR/tests/fuzz/$target" -runs=1 "$@"
  exit $?
fi

if [ "$MODE" = long ]; then
  targets=("$@")
  [ ${#targets[@]} -eq 0 ] && targets=("${UNIT_TARGETS[@]}")
  RUNS="${LOCALGOV_FUZZ_RUNS:-10000000}"
  limit=()
  budget=""
  if [ -n "${LOCALGOV_FUZZ_MAX_SECONDS:-}" ]; then
    limit=(-max_total_time="$LOCALGOV_FUZZ_MAX_SECONDS")
    budget=", or $LOCALGOV_FUZZ_MAX_SECONDS s each"
  fi
  build "${targets[@]}"
  echo "fuzz: each target to $RUNS executions$budget (clang-15, libFuzzer, ASan + UBSan, leaks checked)"
  header
  failed=0
  for t in "${targets[@]}"; do
    run_unit "$t" -runs="$RUNS" "${limit[@]}" || failed=1
  done
  [ "$failed" = 0 ] && echo "fuzz: every target clean" || echo "fuzz: FAILED"
  exit "$failed"
fi

# localgov_cadre too: no target here links it, and the clang build is where the rule on exit-time
# destructors (cmake/Localgov.cmake, localgov_service_code) is checked for every service.
build rpc_fuzz "${UNIT_TARGETS[@]}" localgov_cadre

if [ "$SECS" != 0 ]; then
  UNIT_SECS="${LOCALGOV_FUZZ_UNIT_SECONDS:-15}"
  echo "fuzz: each in-process target for ${UNIT_SECS} s on its kept corpus"
  header
  for t in "${UNIT_TARGETS[@]}"; do
    run_unit "$t" -max_total_time="$UNIT_SECS" || exit 1
  done
fi

BIN="$BUILD_DIR/tests/fuzz/rpc_fuzz"
WORK="$BUILD_DIR/fuzz"
mkdir -p "$WORK/corpus" "$WORK/artifacts"
rm -rf "$WORK/seeds"
mkdir -p "$WORK/seeds"
LOCALGOV_FUZZ_WRITE_SEEDS="$WORK/seeds" "$BIN"
export ASAN_OPTIONS="$RPC_ASAN"

LOG="$WORK/last-run.log"
if [ "$SECS" = 0 ]; then
  # Reproduce: each input once.
  set +e
  LOCALGOV_FUZZ_KNOWN=1 LOCALGOV_FUZZ_VERBOSE=1 "$BIN" -runs=1 -timeout=60 -rss_limit_mb=8192 "$@" 2>&1 | tee "$LOG"
  rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" = 0 ] && echo "fuzz: reproduced nothing: every input ran clean" || echo "fuzz: FAILED (exit $rc)"
  exit "$rc"
fi

echo "fuzz: running rpc_fuzz for ${SECS} s"
set +e
"$BIN" -max_total_time="$SECS" -timeout=60 -rss_limit_mb=8192 -max_len=8192 \
  -artifact_prefix="$WORK/artifacts/" -print_final_stats=1 \
  "$WORK/corpus" "$WORK/seeds" >"$LOG" 2>&1
rc=$?
set -e

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$LOG" | tail -1 | cut -d' ' -f2)
corpus=$(find "$WORK/corpus" -type f | wc -l)
if [ "$rc" != 0 ]; then
  tail -n 80 "$LOG" >&2
  echo "fuzz: FAILED (exit $rc) after ${runs:-?} runs; inputs in $WORK/artifacts:" >&2
  ls -1 "$WORK/artifacts" >&2 || true
  echo "fuzz: reproduce with  scripts/fuzz.sh 0 <input>" >&2
  exit "$rc"
fi
echo "fuzz: rpc_fuzz clean: ${runs:-0} runs in ${SECS} s, coverage ${cov:-?}, corpus ${corpus} inputs, no crash"
