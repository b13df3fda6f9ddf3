#!/usr/bin/env bash
# The README's main job (interim): installs dependencies, builds libfunasr, and computes
# FunASR's Paraformer encoder input features (Kaldi fbank -> LFR 7/6 -> CMVN) of the
# bundled sample with funasr-features. The pipeline issue turns this into a transcription.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR="${BUILD_DIR:-build}" bash scripts/build.sh
"${BUILD_DIR:-build}/tools/funasr-features" tests/data/reference/wavs/asr_example_zh.wav \
  --model tests/data/reference/models/paraformer-tiny "$@"
