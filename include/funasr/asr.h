// libfunasr: offline speech recognition with FunASR's Paraformer family.
//
//   auto asr = funasr::AsrModel::Load("paraformer-large-dir");   // released dir or native file
//   funasr::AsrResult r = asr->Recognize(samples, n);             // 16 kHz float PCM in [-1, 1)
//   std::cout << r.text;
//
// Supported `model:` classes of config.yaml: Paraformer (text) and BiCifParaformer (text +
// per-token timestamps). Results equal FunASR's AutoModel.generate (v1.4.3) for one
// utterance: token ids, text and timestamps. Audio longer than about a minute should be
// split first (FunASR uses its VAD for that; see the pipeline API).
//
// Thread safety: a loaded AsrModel is immutable and may be used from any number of threads
// at once; each call keeps its own working memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "funasr/load_options.h"
#include "funasr/result.h"

namespace funasr {

struct AsrOptions {
  // Threads this request may use; <= 0 uses the default (the number of physical cores).
  int num_threads = 0;
  // Compute timestamps when the model predicts them (BiCifParaformer). FunASR always does
  // for such models; switching it off saves the timestamp head's time and returns FunASR's
  // text without timestamps (Chinese characters not separated by spaces).
  bool timestamps = true;
  // Added to every timestamp (FunASR's `begin_time`/`vad_offset`), in milliseconds.
  int64_t time_offset_ms = 0;
};

struct AsrResult {
  // The transcript as FunASR returns it (sentence_postprocess): with timestamps every word
  // (and every Chinese character) is separated by a space, without them Chinese characters
  // are joined and English words separated by spaces. No punctuation (see punctuation.h).
  std::string text;
  // The words of `text` (English '@@' pieces merged, <unk> dropped) and, with timestamps,
  // one [start_ms, end_ms] per word (FunASR's result "timestamp").
  std::vector<std::string> words;
  std::vector<TimeSpanMs> timestamps;
  // The decoded tokens (vocabulary strings, blank/<s>/</s> removed) and their ids.
  std::vector<std::string> tokens;
  std::vector<int64_t> token_ids;
  // With timestamps: one span per token (before merging '@@' pieces into words).
  std::vector<TimeSpanMs> token_timestamps;
};

// A view of one utterance's samples (mono float PCM at sample_rate(), in [-1, 1)).
struct AudioSamples {
  const float* data = nullptr;
  size_t size = 0;
};

class AsrModel {
 public:
  // `path`: a released FunASR model directory (config.yaml, model.pt, am.mvn, tokens.json)
  // or a libfunasr native model file. The class is chosen from config.yaml's `model`.
  // Throws funasr::Error: kIoError / kFormatError for missing or invalid files, kUnsupported
  // for a model that is not a supported ASR model (e.g. a VAD or punctuation model).
  static std::shared_ptr<const AsrModel> Load(const std::string& path,
                                              const LoadOptions& options = {});

  virtual ~AsrModel() = default;

  // One utterance. An empty or silent input gives an empty result.
  virtual AsrResult Recognize(const float* samples, size_t n,
                              const AsrOptions& options = {}) const = 0;
  AsrResult Recognize(const std::vector<float>& samples, const AsrOptions& options = {}) const {
    return Recognize(samples.data(), samples.size(), options);
  }

  // Several utterances in one batched forward pass; results in input order, each equal to
  // Recognize() of that utterance alone.
  virtual std::vector<AsrResult> RecognizeBatch(const std::vector<AudioSamples>& utterances,
                                                const AsrOptions& options = {}) const = 0;
  std::vector<AsrResult> RecognizeBatch(const std::vector<std::vector<float>>& utterances,
                                        const AsrOptions& options = {}) const;

  // Input sample rate (frontend_conf.fs, 16000 for every released model).
  virtual int sample_rate() const = 0;
  // config.yaml `model` (e.g. "Paraformer", "BiCifParaformer").
  virtual const std::string& model_class() const = 0;
  // Whether results carry timestamps.
  virtual bool has_timestamps() const = 0;
};

}  // namespace funasr
