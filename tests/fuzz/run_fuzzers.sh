#!/usr/bin/env bash
# Builds the libFuzzer targets of the model-file parsers with clang (ASan + UBSan) and runs
# each for SECONDS (default 30), seeded from the real files under tests/data/.
#
#   tests/fuzz/run_fuzzers.sh [SECONDS]
#
# Env: FUZZ_BUILD_DIR (default build-fuzz), JOBS (default 2), FUZZERS (space-separated subset).
# Exits non-zero if any fuzzer finds a crash, leak, timeout or sanitizer report; the failing
# input is kept in $FUZZ_BUILD_DIR/fuzz-artifacts/.
set -euo pipefail
SECS="${1:-30}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
JOBS="${JOBS:-2}"
FUZZERS="${FUZZERS:-torch_checkpoint torch_pickle config_yaml cmvn tokens native_model}"
DATA="$ROOT/tests/data"

command -v clang++ >/dev/null || { echo "run_fuzzers.sh: clang++ not found (scripts/install-deps.sh)"; exit 2; }
GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DFUNASR_BUILD_FUZZERS=ON \
  -DFUNASR_BUILD_BENCHMARKS=OFF -DFUNASR_BUILD_TOOLS=OFF -DFUNASR_NATIVE_ARCH=OFF >/dev/null
targets=()
for f in $FUZZERS; do targets+=("fuzz_$f"); done
cmake --build "$BUILD" -j "$JOBS" --target "${targets[@]}"

# Seed corpora from the real files (copied so that the fuzzer can add to them freely).
CORPUS="$BUILD/fuzz-corpus"
ARTIFACTS="$BUILD/fuzz-artifacts"
mkdir -p "$ARTIFACTS"
seed() {  # seed NAME FILE...
  local dir="$CORPUS/$1"; shift
  mkdir -p "$dir"
  local f
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/$(echo "$f" | sed "s|$DATA/||; s|/|_|g")"
  done
  return 0
}
seed torch_checkpoint "$DATA"/io/torch_seeds/*.pt
# data.pkl members of the real checkpoints (the pickle fuzzer's seeds).
mkdir -p "$CORPUS/torch_pickle"
python3 - "$DATA" "$CORPUS/torch_pickle" <<'PY'
import os, sys, zipfile, glob
data, out = sys.argv[1], sys.argv[2]
files = glob.glob(data + "/io/torch_seeds/*.pt") + glob.glob(data + "/models/*/*.p[tb]") + \
        glob.glob(data + "/reference/models/*-tiny/model.pt")
for f in files:
    z = zipfile.ZipFile(f)
    for n in z.namelist():
        if n.endswith("/data.pkl"):
            open(os.path.join(out, f.replace(data + "/", "").replace("/", "_") + ".pkl"), "wb").write(z.read(n))
PY
seed config_yaml "$DATA"/reference/models/*/config.yaml "$DATA"/models/fsmn-vad/config.yaml \
  "$DATA"/models/fsmn-vad-legacy/vad.yaml
seed cmvn "$DATA"/models/fsmn-vad/am.mvn "$DATA"/models/fsmn-vad-legacy/vad.mvn
seed tokens "$DATA"/reference/models/ct-punc-tiny/tokens.json
printf '["<blank>", "<s>", "</s>", "a\\"b", "\\u00e9\\ud83d\\ude00", "<unk>"]' > "$CORPUS/tokens/small.json"
printf '\xef\xbb\xbf<blank>\n<s>\r\n</s>\nhello wor@@ ld\n' > "$CORPUS/tokens/small.txt"
seed native_model "$DATA"/io/native_seeds/*.fnm

status=0
start=$(date +%s)
for f in $FUZZERS; do
  echo "== fuzz_$f for ${SECS}s"
  if ! "$BUILD/tests/fuzz/fuzz_$f" "$CORPUS/$f" -max_total_time="$SECS" -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$f-" \
       2> "$BUILD/fuzz-$f.log"; then
    echo "fuzz_$f FAILED (log: $BUILD/fuzz-$f.log, inputs: $ARTIFACTS/)"
    tail -40 "$BUILD/fuzz-$f.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$BUILD/fuzz-$f.log" | tail -2
  fi
done
echo "fuzzing took $(( $(date +%s) - start ))s (plus the build)"
exit $status
