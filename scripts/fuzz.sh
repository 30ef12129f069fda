#!/usr/bin/env bash
# Fuzzes every unary RPC of the dossier, liaison and petition services for [seconds] (default 60):
# builds tests/fuzz/rpc_fuzz with clang-15 (libFuzzer + ASan + UBSan over our code) into
# build-fuzz/, writes the seed corpus, runs it against a real PostgreSQL and Redis that it
# starts itself, and fails on any crash, sanitizer report or INTERNAL/UNKNOWN answer.
#   scripts/fuzz.sh          CI's short schedule (60 s)
#   scripts/fuzz.sh 3600     the long run
#   scripts/fuzz.sh 0 FILE…  runs the given inputs once (a finding's reproducer), printing each
#                            call's answer, known findings included (tests/fuzz/findings/)
# Installs nothing: scripts/install-deps.sh brings clang-15 and libFuzzer.
# LOCALGOV_FUZZ_BUILD_DIR: the build folder (default build-fuzz). The corpus the runs grow is
# kept in <build>/fuzz/corpus; crashes are saved in <build>/fuzz/artifacts.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${LOCALGOV_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SECS="${1:-60}"
shift || true

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

build_start=$(date +%s)
echo "fuzz: building rpc_fuzz in $BUILD_DIR"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 -DLOCALGOV_FUZZ=ON \
  "${launcher[@]}" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" --target rpc_fuzz
build_secs=$(($(date +%s) - build_start))

BIN="$BUILD_DIR/tests/fuzz/rpc_fuzz"
WORK="$BUILD_DIR/fuzz"
mkdir -p "$WORK/corpus" "$WORK/artifacts"
rm -rf "$WORK/seeds"
mkdir -p "$WORK/seeds"
LOCALGOV_FUZZ_WRITE_SEEDS="$WORK/seeds" "$BIN"

# Leak checking is off: the services live until exit by design. UBSan halts on its first report
# (the code is built with -fno-sanitize-recover), which libFuzzer saves as a crash.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:handle_abort=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Stack traces with function names and lines (llvm-15 from install-deps).
if [ -x /usr/lib/llvm-15/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-15/bin/llvm-symbolizer
  export UBSAN_SYMBOLIZER_PATH=/usr/lib/llvm-15/bin/llvm-symbolizer
fi

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

echo "fuzz: running rpc_fuzz for ${SECS} s (build took ${build_secs} s)"
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
echo "fuzz: rpc_fuzz clean: ${runs:-0} runs in ${SECS} s, coverage ${cov:-?}, corpus ${corpus} inputs, no crash (build ${build_secs} s)"
