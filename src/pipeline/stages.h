// The pipeline's view of its stages: audio in blocks, a VAD session, an ASR session, a
// punctuation model. The Transcriber (transcriber.h) only talks to these interfaces; the
// adapters in model_stages.cc connect them to the real models, and tests plug in fakes that
// replay FunASR's recorded intermediate results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "funasr/pipeline.h"
#include "text/segment_merge.h"

namespace funasr::pipeline {

constexpr int kSampleRate = 16000;
constexpr int kSamplesPerMs = kSampleRate / 1000;

// 16 kHz mono float audio, read front to back in blocks.
class AudioSource {
 public:
  virtual ~AudioSource() = default;
  // Reads up to `max` samples into `out`; returns how many (0 only at the end).
  virtual size_t Read(float* out, size_t max) = 0;
  // Total number of 16 kHz samples when known in advance, else -1.
  virtual int64_t total_samples() const = 0;
};

// One request's voice-activity detection over a stream.
class VadSession {
 public:
  virtual ~VadSession() = default;
  // Feeds the next samples; `is_final` marks the end of the audio. Returns the segments
  // completed by this call, chronological, [beg_ms, end_ms] as FunASR reports them.
  virtual std::vector<TimeSpanMs> Feed(const float* samples, size_t n, bool is_final) = 0;
  // The earliest time (ms) a segment completed by a later Feed() can start at: audio before
  // it may be discarded.
  virtual int64_t earliest_pending_ms() const = 0;
};

struct VadSettings {
  int max_segment_ms = 60000;     // max_single_segment_time
  int max_end_silence_ms = -1;    // < 0: the model's value
  bool dynamic_silence = true;
};

class VadStage {
 public:
  virtual ~VadStage() = default;
  virtual std::unique_ptr<VadSession> Start(const VadSettings& settings) const = 0;
};

// ASR output for one segment: text and (BiCif / SeACo) per-word timestamps relative to the
// segment start, exactly what the model's inference returns for it (FunASR `text`,
// `timestamp`).
using AsrSegmentOutput = text::SegmentAsrResult;

// One request's ASR state (hotwords compiled once per request).
class AsrSession {
 public:
  virtual ~AsrSession() = default;
  // Decodes a batch of segments (16 kHz samples); one output per input, same order.
  virtual std::vector<AsrSegmentOutput> Recognize(
      const std::vector<const std::vector<float>*>& batch) = 0;
};

class AsrStage {
 public:
  virtual ~AsrStage() = default;
  virtual std::unique_ptr<AsrSession> Start(const std::vector<std::string>& hotwords) const = 0;
  virtual bool has_timestamps() const = 0;
  virtual bool supports_hotwords() const = 0;
};

class PuncStage {
 public:
  virtual ~PuncStage() = default;
  virtual PunctuationOutput Punctuate(const std::string& text) const = 0;
};

// The stages one pipeline holds (any may be null; shared by all requests).
struct Stages {
  std::shared_ptr<const VadStage> vad;
  std::shared_ptr<const AsrStage> asr;
  std::shared_ptr<const PuncStage> punc;
};

}  // namespace funasr::pipeline
