#!/usr/bin/env bash
# Builds the libFuzzer targets (model-file parsers; audio files and PCM through the public
# API; hotword strings; punctuation input text) with clang (ASan + UBSan) and runs each for
# SECONDS (default 30), seeded from the real files under tests/data/ and from every input
# that once crashed a target (tests/fuzz/regressions/<target>/). See tests/fuzz/README.md.
#
#   tests/fuzz/run_fuzzers.sh [SECONDS]
#
# Env: FUZZ_BUILD_DIR (default build-fuzz), JOBS (default 2), FUZZERS (space-separated subset),
#      FUZZ_TIMEOUT (seconds one input may take, default 10: a hang; libFuzzer measures wall
#      time, so on a machine where processes get paused raise it to avoid false timeouts).
# Exits non-zero if any fuzzer finds a crash, leak, timeout or sanitizer report; the failing
# input is kept in $FUZZ_BUILD_DIR/fuzz-artifacts/.
set -euo pipefail
SECS="${1:-30}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
JOBS="${JOBS:-2}"
FUZZERS="${FUZZERS:-torch_checkpoint torch_pickle config_yaml cmvn tokens native_model audio_file pcm hotwords punctuation_text}"
DATA="$ROOT/tests/data"

command -v clang++ >/dev/null || { echo "run_fuzzers.sh: clang++ not found (scripts/install-deps.sh)"; exit 2; }
GEN=()
command -v ninja >/dev/null && GEN=(-G Ninja)
cmake -S "$ROOT" -B "$BUILD" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DFUNASR_BUILD_FUZZERS=ON \
  -DFUNASR_BUILD_BENCHMARKS=OFF -DFUNASR_BUILD_TOOLS=OFF -DFUNASR_NATIVE_ARCH=OFF >/dev/null
targets=()
for f in $FUZZERS; do targets+=("fuzz_$f"); done
case " $FUZZERS " in *" audio_file "*) targets+=(fuzz_make_audio_seeds) ;; esac
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
# Audio: the short reference wavs and 0.1 s in every format libsndfile writes.
seed audio_file "$DATA"/reference/wavs/short_0p6s.wav "$DATA"/reference/wavs/zh_3s.wav
if [ -x "$BUILD/tests/fuzz/fuzz_make_audio_seeds" ]; then
  "$BUILD/tests/fuzz/fuzz_make_audio_seeds" "$CORPUS/audio_file" >/dev/null
fi
# PCM: 4 layout bytes (channels, rate, int16/float, piece size), then samples.
mkdir -p "$CORPUS/pcm"
python3 - "$DATA/reference/wavs/short_0p6s.wav" "$CORPUS/pcm" <<'PY'
import sys, struct
pcm = open(sys.argv[1], "rb").read()[44:44 + 4000]
out = sys.argv[2]
for i, hdr in enumerate([b"\x00\x00\x00\x10", b"\x01\x03\x00\x07", b"\x05\x04\x00\x01"]):
    open(f"{out}/int16_{i}", "wb").write(hdr + pcm)
floats = b"".join(struct.pack("<f", v / 32768.0) for (v,) in struct.iter_unpack("<h", pcm[:2000]))
open(f"{out}/float", "wb").write(b"\x00\x02\x01\x05" + floats)
PY
# Hotwords: byte 0 = form (bit 0: file lines, bit 1: with seg_dict), then the text.
mkdir -p "$CORPUS/hotwords"
printf '\x02阿里巴巴 达摩院 帕拉福玛 语音识别 recognition' > "$CORPUS/hotwords/string"
printf '\x03阿里巴巴\n达摩 院\n\nhello world\n\xef\xbb\xbfBOM\n' > "$CORPUS/hotwords/file"
printf '\x00ABC 123 北京2024 ñandú' > "$CORPUS/hotwords/no_seg_dict"
# Punctuation text: 3 option bytes, then text ('\n' separates realtime pieces).
mkdir -p "$CORPUS/punctuation_text"
python3 - "$DATA/reference" "$CORPUS/punctuation_text" <<'PY'
import sys, json, glob, os
ref, out = sys.argv[1], sys.argv[2]
for i, f in enumerate(sorted(glob.glob(ref + "/ct-punc-tiny/*/result.json"))):
    text = json.load(open(f)).get("input", "")
    if isinstance(text, str) and text:
        open(f"{out}/offline_{i}", "wb").write(bytes([0x13, 0x20, i % 4]) + text.encode())
steps = ref + "/ct-punc-realtime-tiny/chunks_sequence/steps.json"
if os.path.exists(steps):
    pieces = [s["input"] for s in json.load(open(steps))]
    open(f"{out}/stream", "wb").write(bytes([0x93, 0x05, 2]) + "\n".join(pieces).encode())
PY
# Every input that ever crashed a target stays in its corpus.
for d in "$ROOT"/tests/fuzz/regressions/*/; do
  [ -d "$d" ] || continue
  name="$(basename "$d")"
  mkdir -p "$CORPUS/$name"
  cp "$d"* "$CORPUS/$name/" 2>/dev/null || true
done

status=0
start=$(date +%s)
for f in $FUZZERS; do
  echo "== fuzz_$f for ${SECS}s"
  if ! "$BUILD/tests/fuzz/fuzz_$f" "$CORPUS/$f" -max_total_time="$SECS" -timeout="${FUZZ_TIMEOUT:-10}" \
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
