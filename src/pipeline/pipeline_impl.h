// Pipeline construction from stages (Pipeline::Load loads the models into stages; tests
// build pipelines over fake stages).
#pragma once

#include <memory>
#include <string>

#include "funasr/pipeline.h"
#include "pipeline/stages.h"

namespace funasr::pipeline {

// Throws kInvalidArgument naming the first out-of-range field.
void ValidateOptions(const PipelineOptions& options);

// Checks the options (kInvalidArgument naming the field) and builds the pipeline.
std::shared_ptr<const Pipeline> MakePipeline(Stages stages, const PipelineOptions& options);

// "dir/name.wav" -> "name" (AutoModel's key for a file input).
std::string KeyFromPath(const std::string& path);

// Model loading behind the stages (model_stages.cc).
std::shared_ptr<const VadStage> LoadVadStage(const std::string& path);
std::shared_ptr<const AsrStage> LoadAsrStage(const std::string& path, const std::string& dtype);
std::shared_ptr<const PuncStage> LoadPuncStage(const std::string& path);

// 16 kHz mono audio sources (audio_sources.cc): a file (or "-" for standard input) decoded
// and resampled in blocks, and caller-owned PCM resampled as needed.
std::unique_ptr<AudioSource> OpenAudioFile(const std::string& path);
std::unique_ptr<AudioSource> PcmSource(const float* samples, size_t n, int sample_rate);
std::unique_ptr<AudioSource> Pcm16Source(const int16_t* samples, size_t n, int sample_rate);

}  // namespace funasr::pipeline
