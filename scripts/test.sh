#!/usr/bin/env bash
# The README's test command (and CI's, through .ci/run): installs the dependencies, builds
# libfunasr (Release) and runs the whole test suite; then the reliability stages:
#
#   1. main       Release build + ctest of the whole suite
#   2. asan       the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer +
#                 LeakSanitizer (scripts/sanitize.sh address: Debug -O1, clang not needed)
#   3. tsan       the concurrency tests under ThreadSanitizer (scripts/sanitize.sh thread)
#   4. fuzz       every libFuzzer target for FUZZ_SECONDS (default 6) seeded from tests/data
#                 and tests/fuzz/regressions (tests/fuzz/run_fuzzers.sh, clang)
#
# Every stage runs even when an earlier one failed, prints a header and its own result, and
# the script ends with a summary of all stages; any failure (a failed test, a sanitizer
# report, a fuzzer finding) makes it exit non-zero.
#
# Env: FUNASR_TEST_QUICK=1   stage 1 only (quick local runs; the default runs all stages,
#                            also in CI)
#      FUNASR_TEST_STAGES    the stages to run, e.g. "main fuzz" (default: all four)
#      BUILD_DIR (build), JOBS (nproc), FUZZ_SECONDS (6)
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source scripts/timing.sh

bash scripts/install-deps.sh || { echo "scripts/test.sh: installing the dependencies failed"; exit 1; }

BUILD_DIR="${BUILD_DIR:-build}"
JOBS="${JOBS:-$(nproc)}"
export JOBS
if [ "${FUNASR_TEST_QUICK:-0}" = 1 ]; then
  STAGES="main"
else
  STAGES="${FUNASR_TEST_STAGES:-main asan tsan fuzz}"
fi
LOGS="$ROOT/$BUILD_DIR/test-logs"
mkdir -p "$LOGS"

summary=()
failed=0
stage() {  # stage NAME TITLE COMMAND...: runs one stage, records its result and times
  local name="$1" title="$2"; shift 2
  echo
  echo "======================================================================"
  echo "== stage $name: $title"
  echo "======================================================================"
  phase_start
  local status=0
  "$@" 2>&1 | tee "$LOGS/$name.log"
  status=${PIPESTATUS[0]}
  phase_end "$name"
  local result=passed
  [ "$status" -ne 0 ] && { result="FAILED (exit $status)"; failed=1; }
  local detail
  detail="$(stage_detail "$name")"
  echo "== stage $name: $result${detail:+ - $detail}"
  summary+=("$(printf '%-5s %-24s %s' "$name" "$result" "${PHASE_LINE#*: }")${detail:+
      $detail}")
}
stage_detail() {  # one line from a stage's log for the final summary
  local log="$LOGS/$1.log"
  case "$1" in
    main|asan|tsan)
      grep -E "tests passed, [0-9]+ tests? failed out of" "$log" | tail -1
      sed -n '/The following tests FAILED:/,/^Errors while running/p' "$log" |
        grep -E "^\s+[0-9]+ - " | head -20 | sed 's/^\s*/failed: /'
      ;;
    fuzz)
      local n bad
      n=$(grep -c "^== fuzz_.* for " "$log")
      bad=$(grep -c "^fuzz_.* FAILED" "$log")
      echo "$n targets run, $bad failed$(grep -oE '^fuzz_[a-z_]+ FAILED' "$log" | sed 's/ FAILED//' | tr '\n' ' ' | sed 's/^./: &/')"
      ;;
  esac
}

main_stage() {
  BUILD_DIR="$BUILD_DIR" bash scripts/build.sh || return
  (cd "$BUILD_DIR" && ctest --output-on-failure -j "$JOBS" --timeout 900)
}

for s in $STAGES; do
  case "$s" in
    main) stage main "Release build + the whole test suite (ctest)" main_stage ;;
    asan) stage asan "AddressSanitizer + UBSan + LeakSanitizer: the whole test suite" \
            bash scripts/sanitize.sh address ;;
    tsan) stage tsan "ThreadSanitizer: the concurrency tests" bash scripts/sanitize.sh thread ;;
    fuzz) stage fuzz "every libFuzzer target for ${FUZZ_SECONDS:-6} s" \
            bash tests/fuzz/run_fuzzers.sh "${FUZZ_SECONDS:-6}" ;;
    *) echo "scripts/test.sh: unknown stage '$s' (main asan tsan fuzz)"; failed=1 ;;
  esac
done

echo
echo "======================================================================"
echo "== scripts/test.sh summary"
for line in "${summary[@]}"; do echo "  $line"; done
[ "$STAGES" = main ] && echo "  (FUNASR_TEST_QUICK=1: sanitizer and fuzzing stages skipped)"
echo "== $([ $failed -eq 0 ] && echo 'all stages passed' || echo 'FAILED')"
exit $failed
