// Adapters from the pipeline's stage interfaces to the models' public APIs.
#include <algorithm>

#include "core/check.h"
#include "core/threading.h"
#include "funasr/asr.h"
#include "funasr/punctuation.h"
#include "funasr/vad.h"
#include "pipeline/pipeline_impl.h"
#include "pipeline/transcriber.h"

namespace funasr::pipeline {
namespace {

// ---- FSMN-VAD ---------------------------------------------------------------------------

// A segment may be reported with a start this far before the audio received so far (the
// detection window plus the start lookback are a few hundred ms); audio older than this is
// not needed while no segment is open.
constexpr int64_t kVadStartMarginMs = 10000;

class FsmnVadSessionAdapter final : public VadSession {
 public:
  explicit FsmnVadSessionAdapter(std::unique_ptr<VadStream> stream) : stream_(std::move(stream)) {}

  std::vector<TimeSpanMs> Feed(const float* samples, size_t n, bool is_final) override {
    std::vector<TimeSpanMs> out;
    for (const VadSegment& e : stream_->AcceptWaveform(samples, n, is_final)) {
      if (e.start_ms >= 0 && e.end_ms >= 0) {
        out.push_back({e.start_ms, e.end_ms});
      } else if (e.start_ms >= 0) {
        open_start_ = e.start_ms;
      } else if (e.end_ms >= 0) {
        FUNASR_CHECK(open_start_ >= 0, ErrorCode::kInternal,
                     "VAD reported a segment end without a start");
        out.push_back({open_start_, e.end_ms});
        open_start_ = -1;
      }
    }
    received_ms_ += static_cast<int64_t>(n) / kSamplesPerMs;
    if (is_final) open_start_ = -1;
    return out;
  }

  int64_t earliest_pending_ms() const override {
    if (open_start_ >= 0) return open_start_;
    return std::max<int64_t>(0, received_ms_ - kVadStartMarginMs);
  }

 private:
  std::unique_ptr<VadStream> stream_;
  int64_t open_start_ = -1;
  int64_t received_ms_ = 0;
};

class FsmnVadStage final : public VadStage {
 public:
  explicit FsmnVadStage(std::shared_ptr<const VadModel> model) : model_(std::move(model)) {}

  std::unique_ptr<VadSession> Start(const VadSettings& settings) const override {
    VadOptions o;
    o.max_single_segment_time_ms = settings.max_segment_ms;
    if (settings.max_end_silence_ms >= 0) {
      // As AutoModel(max_end_silence_time=...): a fixed end silence, schedule off.
      o.max_end_silence_time_ms = settings.max_end_silence_ms;
      o.dynamic_silence = false;
    } else {
      o.dynamic_silence = settings.dynamic_silence;
    }
    // The transcriber feeds FunASR's offline 60 s chunks; the dynamic schedule advances by
    // that nominal length per chunk, the short final one included, as in FunASR.
    o.chunk_size_ms = Transcriber::kBlockMs;
    return std::make_unique<FsmnVadSessionAdapter>(model_->CreateStream(o));
  }

 private:
  std::shared_ptr<const VadModel> model_;
};

// ---- Paraformer ASR ----------------------------------------------------------------------

class ParaformerSession final : public AsrSession {
 public:
  ParaformerSession(std::shared_ptr<const AsrModel> model, int num_threads,
                    std::shared_ptr<const HotwordContext> hotwords)
      : model_(std::move(model)) {
    options_.num_threads = num_threads;
    options_.hotword_context = std::move(hotwords);
  }

  std::vector<AsrSegmentOutput> Recognize(
      const std::vector<const std::vector<float>*>& batch) override {
    std::vector<AudioSamples> utterances;
    for (const auto* s : batch) utterances.push_back({s->data(), s->size()});
    std::vector<AsrResult> results = model_->RecognizeBatch(utterances, options_);
    FUNASR_CHECK(results.size() == batch.size(), ErrorCode::kInternal, "ASR returned ",
                 results.size(), " results for ", batch.size(), " segments");
    std::vector<AsrSegmentOutput> out(results.size());
    for (size_t i = 0; i < results.size(); ++i) {
      out[i].text = std::move(results[i].text);
      // BiCif / SeACo results always carry FunASR's "timestamp" list (maybe empty).
      out[i].has_timestamps = model_->has_timestamps();
      out[i].timestamps = std::move(results[i].timestamps);
    }
    return out;
  }

 private:
  std::shared_ptr<const AsrModel> model_;
  AsrOptions options_;
};

class ParaformerStage final : public AsrStage {
 public:
  explicit ParaformerStage(std::shared_ptr<const AsrModel> model) : model_(std::move(model)) {}

  std::unique_ptr<AsrSession> Start(const std::vector<std::string>& hotwords) const override {
    // The transcriber has set this request's thread count on the calling thread. The
    // request's hotwords are prepared once for all its segments (models without hotword
    // support ignore them, as documented in pipeline.h).
    std::shared_ptr<const HotwordContext> prepared;
    if (model_->supports_hotwords() && !hotwords.empty()) {
      prepared = model_->PrepareHotwords(hotwords, GetNumThreads());
    }
    return std::make_unique<ParaformerSession>(model_, GetNumThreads(), std::move(prepared));
  }
  bool has_timestamps() const override { return model_->has_timestamps(); }
  bool supports_hotwords() const override { return model_->supports_hotwords(); }

 private:
  std::shared_ptr<const AsrModel> model_;
};

// ---- CT-Transformer punctuation -------------------------------------------------------

class CtPunctuationStage final : public PuncStage {
 public:
  explicit CtPunctuationStage(std::shared_ptr<const PunctuationModel> model)
      : model_(std::move(model)) {}

  PunctuationOutput Punctuate(const std::string& text) const override {
    PunctuationResult r = model_->Punctuate(text);
    PunctuationOutput out;
    out.text = std::move(r.text);
    out.punc_ids = std::move(r.punctuation_ids);
    return out;
  }

 private:
  std::shared_ptr<const PunctuationModel> model_;
};

}  // namespace

std::shared_ptr<const VadStage> LoadVadStage(const std::string& path) {
  auto model = VadModel::Load(path);
  FUNASR_CHECK(model->sample_rate() == kSampleRate, ErrorCode::kUnsupported, "VAD model ", path,
               ": sample rate ", model->sample_rate(), " (the pipeline runs at 16000 Hz)");
  return std::make_shared<FsmnVadStage>(std::move(model));
}

std::shared_ptr<const AsrStage> LoadAsrStage(const std::string& path, const std::string& dtype) {
  LoadOptions options;
  options.int8 = dtype == "int8";  // "f32"/"auto": as stored (a native int8 file stays int8)
  auto model = AsrModel::Load(path, options);
  FUNASR_CHECK(model->sample_rate() == kSampleRate, ErrorCode::kUnsupported, "ASR model ", path,
               ": sample rate ", model->sample_rate(), " (the pipeline runs at 16000 Hz)");
  return std::make_shared<ParaformerStage>(std::move(model));
}

std::shared_ptr<const PuncStage> LoadPuncStage(const std::string& path) {
  return std::make_shared<CtPunctuationStage>(PunctuationModel::Load(path));
}

}  // namespace funasr::pipeline
