#include <utility>

#include "core/check.h"
#include "pipeline/pipeline_impl.h"
#include "pipeline/transcriber.h"

namespace funasr {
namespace pipeline {
namespace {

class PipelineImpl final : public Pipeline {
 public:
  PipelineImpl(Stages stages, const PipelineOptions& options)
      : stages_(std::move(stages)), options_(options) {}

  TranscriptionResult TranscribeFile(const std::string& path,
                                     const TranscribeOptions& options) const override {
    auto source = OpenAudioFile(path);
    return Run(*source, options.key.empty() ? KeyFromPath(path) : options.key, options);
  }

  TranscriptionResult TranscribePcm(const float* samples, size_t n, int sample_rate,
                                    const TranscribeOptions& options) const override {
    auto source = PcmSource(samples, n, sample_rate);
    return Run(*source, options.key.empty() ? "pcm" : options.key, options);
  }

  TranscriptionResult TranscribePcm16(const int16_t* samples, size_t n, int sample_rate,
                                      const TranscribeOptions& options) const override {
    auto source = Pcm16Source(samples, n, sample_rate);
    return Run(*source, options.key.empty() ? "pcm" : options.key, options);
  }

  PunctuationOutput Punctuate(const std::string& text) const override {
    FUNASR_CHECK(stages_.punc != nullptr, ErrorCode::kInvalidArgument,
                 "Punctuate: the pipeline has no punctuation model");
    return stages_.punc->Punctuate(text);
  }

  bool has_vad() const override { return stages_.vad != nullptr; }
  bool has_asr() const override { return stages_.asr != nullptr; }
  bool has_punctuation() const override { return stages_.punc != nullptr; }
  bool asr_has_timestamps() const override { return stages_.asr && stages_.asr->has_timestamps(); }
  bool asr_supports_hotwords() const override {
    return stages_.asr && stages_.asr->supports_hotwords();
  }
  const PipelineOptions& options() const override { return options_; }

 private:
  TranscriptionResult Run(AudioSource& source, const std::string& key,
                          const TranscribeOptions& options) const {
    Transcriber transcriber(stages_, options_, options);
    return transcriber.Run(source, key);
  }

  Stages stages_;
  PipelineOptions options_;
};

}  // namespace

std::string KeyFromPath(const std::string& path) {
  if (path == "-") return "stdin";
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name = name.substr(0, dot);
  return name;
}

void ValidateOptions(const PipelineOptions& options) {
  FUNASR_CHECK(options.max_segment_ms >= 1000 && options.max_segment_ms <= 3600000,
               ErrorCode::kInvalidArgument,
               "pipeline: max_segment_ms must be in [1000, 3600000], got ", options.max_segment_ms);
  FUNASR_CHECK(options.max_end_silence_ms < 0 || options.max_end_silence_ms <= 60000,
               ErrorCode::kInvalidArgument,
               "pipeline: max_end_silence_ms must be <= 60000 (or < 0 for the model's value), got ",
               options.max_end_silence_ms);
  FUNASR_CHECK(options.batch_seconds >= 0 && options.batch_seconds <= 36000,
               ErrorCode::kInvalidArgument, "pipeline: batch_seconds must be in [0, 36000], got ",
               options.batch_seconds);
  FUNASR_CHECK(options.batch_threshold_seconds > 0, ErrorCode::kInvalidArgument,
               "pipeline: batch_threshold_seconds must be > 0, got ",
               options.batch_threshold_seconds);
  FUNASR_CHECK(options.num_threads >= 0 && options.num_threads <= 1024,
               ErrorCode::kInvalidArgument, "pipeline: num_threads must be in [0, 1024], got ",
               options.num_threads);
}

std::shared_ptr<const Pipeline> MakePipeline(Stages stages, const PipelineOptions& options) {
  FUNASR_CHECK(stages.vad || stages.asr || stages.punc, ErrorCode::kInvalidArgument,
               "pipeline: no model given (need a VAD, ASR or punctuation model)");
  ValidateOptions(options);
  return std::make_shared<PipelineImpl>(std::move(stages), options);
}

}  // namespace pipeline

std::shared_ptr<const Pipeline> Pipeline::Load(const PipelineConfig& config) {
  FUNASR_CHECK(config.dtype == "auto" || config.dtype == "f32" || config.dtype == "int8",
               ErrorCode::kInvalidArgument, "pipeline: dtype must be auto, f32 or int8, got '",
               config.dtype, "'");
  FUNASR_CHECK(!config.vad_model.empty() || !config.asr_model.empty() ||
                   !config.punc_model.empty(),
               ErrorCode::kInvalidArgument,
               "pipeline: no model given (need a VAD, ASR or punctuation model)");
  pipeline::ValidateOptions(config.options);
  pipeline::Stages stages;
  if (!config.vad_model.empty()) stages.vad = pipeline::LoadVadStage(config.vad_model);
  if (!config.asr_model.empty()) {
    stages.asr = pipeline::LoadAsrStage(config.asr_model, config.dtype);
  }
  if (!config.punc_model.empty()) stages.punc = pipeline::LoadPuncStage(config.punc_model);
  return pipeline::MakePipeline(std::move(stages), config.options);
}

}  // namespace funasr
