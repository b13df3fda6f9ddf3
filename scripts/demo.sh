#!/usr/bin/env bash
# The README's main job: installs the dependencies, builds libfunasr, fetches the released
# FunASR models that are not bundled (Paraformer-large zh with timestamps, BiCif
# `paraformer-zh-vad-punc`, and the CT-Transformer punctuation model `ct-punc-c`) into the
# model cache ($FUNASR_MODEL_CACHE, else ~/.cache/funasr), and transcribes the bundled sample
# asr_example_zh.wav with the bundled real FSMN-VAD (models/fsmn-vad): text with sentence
# timestamps (SubRip cues). FunASR's `paraformer-zh` alias is the SeACo (hotword) variant of
# the same model; FUNASR_DEMO_ASR=paraformer-zh selects it.
#
# Offline, funasr-download says so in one line (with how to point funasr-transcribe at a
# model directory) and the demo still runs the bundled VAD on the sample; it exits 0 only
# if what it ran worked. FUNASR_DEMO_ASR / FUNASR_DEMO_PUNC pick other catalog models
# (funasr-download --list).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR="${BUILD_DIR:-build}" bash scripts/build.sh
TOOLS="${BUILD_DIR:-build}/tools"
SAMPLE=tests/data/reference/wavs/asr_example_zh.wav
VAD=models/fsmn-vad
CACHE="${FUNASR_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/funasr}"
ASR="${FUNASR_DEMO_ASR:-paraformer-zh-vad-punc}"
PUNC="${FUNASR_DEMO_PUNC:-ct-punc-c}"

status=0
"$TOOLS/funasr-download" --cache-dir "$CACHE" "$ASR" "$PUNC" || status=$?
case "$status" in
  0)
    echo "Transcript of $SAMPLE (VAD + ASR + punctuation, sentence timestamps):"
    "$TOOLS/funasr-transcribe" --vad-model "$VAD" --asr-model "$CACHE/$ASR" \
      --punc-model "$CACHE/$PUNC" --format srt "$SAMPLE"
    ;;
  3)
    echo "Speech segments of $SAMPLE found by the bundled FSMN-VAD (start_ms, end_ms):"
    "$TOOLS/funasr-transcribe" --vad-model "$VAD" "$SAMPLE"
    ;;
  *)
    exit "$status"
    ;;
esac
