#include "pipeline/transcriber.h"

#include <algorithm>

#include "core/check.h"
#include "core/threading.h"
#include "pipeline/batch_planner.h"
#include "pipeline/quiet_point_segmenter.h"
#include "pipeline/sample_window.h"
#include "pipeline/transcript_assembly.h"

namespace funasr::pipeline {
namespace {

// Reads until `out` is full or the source ends; a short count therefore means the end.
size_t ReadFull(AudioSource& source, std::vector<float>& out) {
  size_t got = 0;
  while (got < out.size()) {
    const size_t n = source.Read(out.data() + got, out.size() - got);
    if (n == 0) break;
    got += n;
  }
  return got;
}

}  // namespace

Transcriber::Transcriber(const Stages& stages, const PipelineOptions& options,
                         const TranscribeOptions& request)
    : stages_(stages), options_(options), request_(request) {}

void Transcriber::CheckCancelled() const {
  if (request_.cancel && request_.cancel->load()) Fail(ErrorCode::kCancelled, "cancelled");
}

void Transcriber::ReportProgress(double fraction) {
  fraction = std::clamp(fraction, last_fraction_, 1.0);
  last_fraction_ = fraction;
  if (request_.on_progress) {
    PipelineProgress p;
    p.fraction = fraction;
    p.segments_decoded = decoded_;
    p.audio_ms_read = static_cast<double>(read_samples_) / kSamplesPerMs;
    if (!request_.on_progress(p)) Fail(ErrorCode::kCancelled, "cancelled by the progress callback");
  }
  CheckCancelled();
}

void Transcriber::DecodePool() {
  if (pool_.empty()) return;
  std::vector<TimeSpanMs> spans;
  for (const auto& p : pool_) spans.push_back(p.span);
  const std::vector<size_t> order = SortByDuration(spans);
  std::vector<int64_t> durations;
  for (size_t i : order) durations.push_back(spans[i].end - spans[i].start);
  const auto batches = PlanBatches(durations, options_.batch_seconds * 1000.0,
                                   options_.batch_threshold_seconds * 1000.0);
  int64_t pending_samples = 0;
  for (const auto& p : pool_) pending_samples += static_cast<int64_t>(p.samples.size());
  stats_.peak_pool_samples = std::max(stats_.peak_pool_samples,
                                      static_cast<size_t>(pending_samples));
  for (const auto& b : batches) {
    std::vector<const std::vector<float>*> batch;
    for (size_t k = b.begin; k < b.end; ++k) batch.push_back(&pool_[order[k]].samples);
    stats_.largest_batch = std::max(stats_.largest_batch, batch.size());
    ++stats_.batches;
    std::vector<AsrSegmentOutput> out = asr_->Recognize(batch);
    FUNASR_CHECK(out.size() == batch.size(), ErrorCode::kInternal, "ASR returned ", out.size(),
                 " results for a batch of ", batch.size());
    for (size_t k = b.begin; k < b.end; ++k) {
      PendingSegment& seg = pool_[order[k]];
      outputs_[seg.index] = std::move(out[k - b.begin]);
      pending_samples -= static_cast<int64_t>(seg.samples.size());
      std::vector<float>().swap(seg.samples);
      ++decoded_;
    }
    if (total_samples_ > 0) {
      ReportProgress(static_cast<double>(read_samples_ - pending_samples - pending_open_) /
                     static_cast<double>(total_samples_));
    } else {
      ReportProgress(0);
    }
  }
  pool_.clear();
  pool_ms_ = 0;
}

TranscriptionResult Transcriber::Run(AudioSource& source, const std::string& key) {
  FUNASR_CHECK(stages_.vad || stages_.asr, ErrorCode::kInvalidArgument,
               "the pipeline has neither a VAD nor an ASR model to run on audio "
               "(a punctuation-only pipeline punctuates text)");
  ScopedNumThreads threads(request_.num_threads > 0 ? request_.num_threads
                                                    : options_.num_threads);
  TranscriptionResult result;
  result.key = key;
  total_samples_ = source.total_samples();

  std::unique_ptr<VadSession> segmenter;
  if (stages_.vad) {
    VadSettings settings;
    settings.max_segment_ms = options_.max_segment_ms;
    settings.max_end_silence_ms = options_.max_end_silence_ms;
    settings.dynamic_silence = options_.vad_dynamic_silence;
    segmenter = stages_.vad->Start(settings);
  } else {
    segmenter = std::make_unique<QuietPointSegmenter>(options_.max_segment_ms);
  }
  if (stages_.asr) asr_ = stages_.asr->Start(request_.hotwords);
  // Decode as soon as the pool holds a batch budget of audio (at once when the budget is 0).
  const double flush_ms = std::max(options_.batch_seconds * 1000.0, 0.0);

  SampleWindow window;
  std::vector<float> block(static_cast<size_t>(kBlockMs) * kSamplesPerMs);
  ReportProgress(0);
  for (bool final = false; !final;) {
    const size_t n = ReadFull(source, block);
    final = n < block.size();
    read_samples_ += static_cast<int64_t>(n);
    window.Append(block.data(), n);
    stats_.peak_window_samples = std::max(stats_.peak_window_samples, window.kept());
    for (const TimeSpanMs& span : segmenter->Feed(block.data(), n, final)) {
      if (stages_.vad) result.vad_segments.push_back(span);
      if (!asr_) continue;
      // AutoModel slices speech[int(beg * 16) : min(int(end * 16), len)].
      PendingSegment seg;
      seg.index = spans_.size();
      seg.span = span;
      seg.samples = window.Copy(span.start * kSamplesPerMs, span.end * kSamplesPerMs);
      spans_.push_back(span);
      outputs_.emplace_back();
      pool_ms_ += span.end - span.start;
      pool_.push_back(std::move(seg));
    }
    window.DiscardBefore(segmenter->earliest_pending_ms() * kSamplesPerMs);
    pending_open_ = std::max<int64_t>(0, read_samples_ - window.begin());
    if (asr_ && (final || static_cast<double>(pool_ms_) >= flush_ms)) DecodePool();
    if (total_samples_ > 0) {
      int64_t pending = pending_open_;
      for (const auto& p : pool_) pending += static_cast<int64_t>(p.samples.size());
      ReportProgress(static_cast<double>(read_samples_ - pending) /
                     static_cast<double>(total_samples_));
    } else {
      ReportProgress(0);
    }
  }
  result.duration_ms = static_cast<double>(read_samples_) / kSamplesPerMs;

  if (asr_) {
    AssemblyOptions assembly;
    assembly.has_timestamps = stages_.asr->has_timestamps();
    assembly.sentence_info = options_.sentence_info;
    AssembleTranscript(spans_, std::move(outputs_), stages_.punc.get(), assembly, result);
  }
  ReportProgress(1.0);
  return result;
}

}  // namespace funasr::pipeline
