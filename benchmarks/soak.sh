#!/usr/bin/env bash
# Long runs (issue 9): the soak tests of tests/api/soak_test.cc with long settings, and the
# bad-input matrix's 3-hour file at full length. Prints the numbers benchmarks/README.md
# records (resident memory per half of each run, speed). Exits non-zero if a check fails.
#
#   benchmarks/soak.sh            # hundreds of requests, hours of audio (~30-60 min)
#   benchmarks/soak.sh --quick    # the CI sizes, for a smoke test of the script
#
# Env: BUILD_DIR (default build; built with scripts/build.sh if the tests are missing),
#      SOAK_REQUESTS (500), SOAK_STREAM_MINUTES (240), SOAK_FILE_MINUTES (180).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
if [ "${1:-}" = "--quick" ]; then
  : "${SOAK_REQUESTS:=48}" "${SOAK_STREAM_MINUTES:=30}" "${SOAK_FILE_MINUTES:=24}"
  LONG=""
else
  : "${SOAK_REQUESTS:=500}" "${SOAK_STREAM_MINUTES:=240}" "${SOAK_FILE_MINUTES:=180}"
  LONG=1
fi
if [ ! -x "$BUILD_DIR/tests/soak_test" ] || [ ! -x "$BUILD_DIR/tests/bad_input_matrix_test" ]; then
  cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target soak_test bad_input_matrix_test
fi
# OpenMP threads of an idle request must sleep, not spin, or they distort the timings on a
# busy machine.
export OMP_WAIT_POLICY=PASSIVE
export FUNASR_SOAK_REQUESTS="$SOAK_REQUESTS" FUNASR_SOAK_STREAM_MINUTES="$SOAK_STREAM_MINUTES"
export FUNASR_SOAK_FILE_MINUTES="$SOAK_FILE_MINUTES"
cd "$ROOT/tests"
echo "== soak: $SOAK_REQUESTS requests, $SOAK_STREAM_MINUTES min VAD stream, $SOAK_FILE_MINUTES min file"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "  soak_test: %e s wall, max RSS %M KB" "$BUILD_DIR/tests/soak_test"
else
  "$BUILD_DIR/tests/soak_test"
fi
echo "== 3-hour file through the pipeline"
if [ -n "$LONG" ]; then export FUNASR_LONG_TESTS=1; fi
"$BUILD_DIR/tests/bad_input_matrix_test" --gtest_filter='BadInputMatrix.ThreeHourFile'
