// One transcription request over the pipeline's stages: reads the audio in blocks, runs the
// VAD (or the quiet-point segmenter) as a stream, decodes the segments in duration-sorted
// batches as soon as enough have accumulated, and assembles the result. Memory is bounded by
// the batch budget plus the longest segment, whatever the length of the audio.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "funasr/pipeline.h"
#include "pipeline/stages.h"

namespace funasr::pipeline {

// What one request held at most (for the memory-bound tests and benchmarks).
struct TranscriberStats {
  size_t peak_window_samples = 0;  // audio kept for segments not yet complete
  size_t peak_pool_samples = 0;    // audio of complete segments waiting to be decoded
  size_t largest_batch = 0;        // segments in the largest ASR batch
  size_t batches = 0;
};

class Transcriber {
 public:
  // Audio is read and fed to the VAD in blocks of this length: FunASR's offline VAD works
  // on 60 s chunks (its dynamic silence schedule advances per chunk), so feeding the same
  // blocks reproduces it exactly.
  static constexpr int kBlockMs = 60000;

  Transcriber(const Stages& stages, const PipelineOptions& options,
              const TranscribeOptions& request);

  TranscriptionResult Run(AudioSource& source, const std::string& key);
  const TranscriberStats& stats() const { return stats_; }

 private:
  struct PendingSegment {
    size_t index;                  // chronological index
    TimeSpanMs span;
    std::vector<float> samples;
  };

  void DecodePool();
  void CheckCancelled() const;
  void ReportProgress(double fraction);

  const Stages& stages_;
  const PipelineOptions& options_;
  const TranscribeOptions& request_;
  std::unique_ptr<AsrSession> asr_;
  std::vector<PendingSegment> pool_;
  int64_t pool_ms_ = 0;
  std::vector<TimeSpanMs> spans_;             // every segment, chronological
  std::vector<AsrSegmentOutput> outputs_;     // outputs_[i] belongs to spans_[i]
  int64_t decoded_ = 0;
  double last_fraction_ = 0;
  int64_t total_samples_ = -1;
  int64_t read_samples_ = 0;
  int64_t pending_open_ = 0;
  TranscriberStats stats_;   // samples the segmenter may still put into a segment
};

}  // namespace funasr::pipeline
