// funasr-transcribe output formats. One file per format; all are pure functions of the
// result, so they are unit-tested without models (tests/tools/transcribe_format_test.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "funasr/pipeline.h"

namespace funasr::cli {

enum class OutputFormat { kTxt, kJson, kJsonl, kSrt, kVtt };

// "txt", "json", "jsonl", "srt", "vtt" (nullopt for anything else).
std::optional<OutputFormat> ParseFormat(const std::string& name);
// File extension without the dot.
const char* FormatExtension(OutputFormat format);

// txt: the text of an ASR / punctuation result; for a VAD-only result one
// "start_ms<TAB>end_ms" line per segment. With `key_prefix`, every line starts with
// "key<TAB>" (several inputs on one stream). Ends with a newline.
std::string FormatTxt(const TranscriptionResult& result, bool key_prefix);

// json / jsonl: FunASR AutoModel's result dict (ToAutoModelJson); pretty-printed with
// `indent` >= 0, one line with indent < 0.
std::string FormatJson(const TranscriptionResult& result, int indent);

// A subtitle cue: [start_ms, end_ms) and its text.
struct Cue {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string text;
};

struct CueOptions {
  int64_t max_cue_ms = 7000;       // longer sentences are split into several cues
  size_t max_cue_chars = 42;       // display columns (CJK count 2) before a split
  int64_t min_cue_ms = 300;        // a shorter cue is stretched (never past the next cue)
};

// Cues from the result's sentences (sentence_info): one per sentence, long ones split at
// word boundaries (token timestamps when they line up with the words, otherwise linear
// time), every cue with end > start, cues in order and never overlapping.
std::vector<Cue> BuildCues(const TranscriptionResult& result, const CueOptions& options = {});

// "HH:MM:SS<sep>mmm" (SubRip uses ',', WebVTT '.').
std::string CueClock(int64_t ms, char millis_separator);

// SubRip: "1\n00:00:00,690 --> 00:00:01,190\ntext\n\n"...
std::string FormatSrt(const std::vector<Cue>& cues);
// WebVTT: "WEBVTT\n\n00:00:00.690 --> 00:00:01.190\ntext\n\n"...
std::string FormatVtt(const std::vector<Cue>& cues);

}  // namespace funasr::cli
