#!/usr/bin/env bash
# Builds the tests with a sanitizer and runs them; any sanitizer report fails the run.
#
#   scripts/sanitize.sh [address|thread]        (default: address)
#
#   address  AddressSanitizer + UndefinedBehaviorSanitizer + LeakSanitizer over the whole test
#            suite (unit, parity, API tests and the C API programs; the command-line tools
#            are left out: their code is unit-tested through transcribe_format_test, and
#            their CLI11-heavy mains cost a fifth of the build).
#   thread   ThreadSanitizer over the concurrency tests: every gtest whose suite or case name
#            contains Concurren, Thread or Parallel (the test executables holding one are
#            found by that pattern, so new concurrency tests join automatically).
#
# Env: SAN_BUILD_DIR (default build-asan / build-tsan), JOBS (default 2), CTEST_JOBS (default
# JOBS), SAN_TESTS (a ctest -R regex replacing the default selection), SAN_EXCLUDE (a ctest -E
# regex), SAN_TARGETS (build only these targets; default: everything the selected tests need).
#
# Build: Debug with -O1 -g1 (assertions on, frames kept, line tables for file:line in every
# report: fast enough to run the parity tests; full -g costs ~15 % more build time for
# nothing the reports need), benchmarks and tools off.
#
# OpenMP under TSan: libgomp is not instrumented, so TSan cannot see the synchronisation of
# its barriers and would report every parallel region as a race. The thread stage therefore
# runs the tests with LLVM's OpenMP runtime (libomp, ABI-compatible with libgomp: it exports
# the GOMP_* entry points) in place of libgomp, plus LLVM's Archer tool, which reports
# OpenMP's synchronisation to TSan through OMPT. Our own parallel regions and oneDNN's are
# then checked for real, with kernel threads > 1. No suppressions are needed.
set -euo pipefail
MODE="${1:-address}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
JOBS="${JOBS:-2}"
CTEST_JOBS="${CTEST_JOBS:-$JOBS}"
GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
source "$ROOT/scripts/timing.sh"

# Test executables (tests/{unit,parity,api}/*_test.cc) holding a concurrency test.
CONCURRENCY_PATTERN='Concurren|Thread|Parallel'
concurrency_targets() {
  grep -lE "TEST(_F|_P)?\(\w*($CONCURRENCY_PATTERN)\w*,|TEST(_F|_P)?\(\w+, *\w*($CONCURRENCY_PATTERN)" \
    tests/unit/*_test.cc tests/parity/*_test.cc tests/api/*_test.cc | xargs -n1 basename |
    sed 's/\.cc$//'
}

case "$MODE" in
  address)
    BUILD="${SAN_BUILD_DIR:-$ROOT/build-asan}"
    TESTS="${SAN_TESTS:-}"
    # The Python ctypes test loads the instrumented libfunasr.so into an uninstrumented
    # python3, which ASan refuses (its runtime must come first); the C programs capi.c90 /
    # capi.c99 exercise the same C API, instrumented and leak-checked.
    EXCLUDE="${SAN_EXCLUDE:-^capi\.python_ctypes$}"
    # halt_on_error: the first report ends the test with a failure. detect_leaks: LSan at exit.
    # exitcode=23: distinct from the exit codes the CLI tests expect (1, 2), so a report in
    # a child process is never mistaken for an expected failure.
    # UBSan reports are fatal through -fno-sanitize-recover=all (CMakeLists) and halt_on_error.
    export ASAN_OPTIONS="halt_on_error=1:exitcode=23:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:detect_invalid_pointer_pairs=0:abort_on_error=0:${ASAN_OPTIONS:-}"
    export UBSAN_OPTIONS="halt_on_error=1:exitcode=23:print_stacktrace=1:${UBSAN_OPTIONS:-}"
    export LSAN_OPTIONS="suppressions=$ROOT/scripts/sanitizer/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
    ;;
  thread)
    BUILD="${SAN_BUILD_DIR:-$ROOT/build-tsan}"
    TESTS="${SAN_TESTS:-$CONCURRENCY_PATTERN}"
    EXCLUDE="${SAN_EXCLUDE:-}"
    LLVM_LIB="${LLVM_LIB:-$(ls -d /usr/lib/llvm-*/lib 2>/dev/null | sort -V | tail -1)}"
    ARCHER="$LLVM_LIB/libarcher.so"
    LIBOMP="$LLVM_LIB/libomp.so.5"
    if [ ! -f "$ARCHER" ] || [ ! -f "$LIBOMP" ]; then
      echo "sanitize.sh thread: needs LLVM's libomp and Archer ($LIBOMP, $ARCHER; apt libomp-dev)" >&2
      exit 2
    fi
    mkdir -p "$BUILD/omp"
    ln -sf "$LIBOMP" "$BUILD/omp/libgomp.so.1"
    export LD_LIBRARY_PATH="$BUILD/omp${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export OMP_TOOL_LIBRARIES="$ARCHER"
    # ignore_noninstrumented_modules: interceptors called from uninstrumented libraries
    # (libomp's own locks, oneDNN, libsndfile) are not tracked; their effects on our memory
    # are (Archer annotates OpenMP's barriers, locks and task joins).
    export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:ignore_noninstrumented_modules=1:${TSAN_OPTIONS:-}"
    export ARCHER_OPTIONS="${ARCHER_OPTIONS:-verbose=0}"
    ;;
  *)
    echo "usage: scripts/sanitize.sh [address|thread]" >&2
    exit 2
    ;;
esac

phase_start
cmake -S . -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DFUNASR_SANITIZE="$MODE" -DFUNASR_BUILD_BENCHMARKS=OFF -DFUNASR_BUILD_TOOLS=OFF \
  -DFUNASR_BUILD_FUZZERS=OFF ${CMAKE_ARGS:-} >/dev/null

if [ -n "${SAN_TARGETS:-}" ]; then
  read -r -a targets <<< "$SAN_TARGETS"
elif [ "$MODE" = thread ]; then
  mapfile -t targets < <(concurrency_targets)
else
  targets=(all)
fi
echo "== sanitize.sh $MODE: building ${targets[*]} in $BUILD"
cmake --build "$BUILD" -j "$JOBS" --target "${targets[@]}"
phase_end "sanitize.sh $MODE build"
build_line="$PHASE_LINE"

cd "$BUILD"
args=(--output-on-failure -j "$CTEST_JOBS" --timeout 1800)
[ -n "$TESTS" ] && args+=(-R "$TESTS")
[ -n "$EXCLUDE" ] && args+=(-E "$EXCLUDE")
# Tests of executables that were not built are not registered (gtest discovery happens at
# build time), so the selection above runs exactly what was built.
echo "== sanitize.sh $MODE: ctest ${args[*]}"
phase_start
status=0
ctest "${args[@]}" || status=$?
phase_end "sanitize.sh $MODE tests"
echo "== sanitize.sh $MODE: $([ $status -eq 0 ] && echo passed || echo FAILED) ($build_line; $PHASE_LINE)"
exit $status
