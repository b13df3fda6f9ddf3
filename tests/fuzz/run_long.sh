#!/usr/bin/env bash
# The long fuzzing run (issue 9): every target for FUZZ_SECONDS (default 600 = 10 min) one
# after the other, with the corpus kept from earlier runs. Prints per target the executions,
# coverage and corpus size for tests/fuzz/README.md. Same environment as run_fuzzers.sh
# (FUZZ_BUILD_DIR, JOBS, FUZZERS).
#
#   tests/fuzz/run_long.sh            # ~100 min for the 10 targets
#   FUZZ_SECONDS=3600 FUZZERS=audio_file tests/fuzz/run_long.sh
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SECS="${FUZZ_SECONDS:-600}"
"$ROOT/tests/fuzz/run_fuzzers.sh" "$SECS"
status=$?
echo
echo "| target | seconds | executions | exec/s | coverage (cov) | features (ft) | corpus | result |"
echo "|---|---|---|---|---|---|---|---|"
FUZZERS="${FUZZERS:-torch_checkpoint torch_pickle config_yaml cmvn tokens native_model audio_file pcm hotwords punctuation_text}"
for name in $FUZZERS; do
  log="$BUILD/fuzz-$name.log"
  execs=$(grep -o "stat::number_of_executed_units: [0-9]*" "$log" | tail -1 | awk '{print $2}')
  rate=$(grep -oE "stat::average_exec_per_sec: +[0-9]+" "$log" | tail -1 | awk '{print $2}')
  cov=$(grep -oE "cov: [0-9]+" "$log" | tail -1 | awk '{print $2}')
  ft=$(grep -oE "ft: [0-9]+" "$log" | tail -1 | awk '{print $2}')
  corpus=$(ls "$BUILD/fuzz-corpus/$name" 2>/dev/null | wc -l)
  result=ok
  grep -qE "ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error:|SUMMARY:" "$log" && result=FAILED
  echo "| $name | $SECS | ${execs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | $corpus | $result |"
done
exit $status
