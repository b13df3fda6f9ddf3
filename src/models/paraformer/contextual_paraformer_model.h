// ContextualParaformerModel: FunASR's ContextualParaformer (`model: ContextualParaformer`,
// paraformer-pipeline.md §8.2) — Paraformer (SANM encoder, CifPredictorV2) whose decoder
// attends to hotword vectors inside its last cross-attention layer (CLAS-style bias):
//   hotwords (token ids, no-bias [<s>] last) -> HotwordBiasEncoder (bias_embed.weight, or
//     decoder.embed.0.weight with model_conf.use_decoder_embedding, 1-layer LSTM, h_n)
//   features -> encoder -> CifPredictorV2 -> ContextualParaformerDecoder(E, encoder_out,
//     hotword vectors) -> log_softmax -> greedy ids (no timestamps).
// The decoder always attends to a hotword list: without hotwords it is FunASR's default
// [[<s>]] list, so "no hotwords" and an empty list give the same (FunASR) result.
// Immutable after Load(); per-request state is a ParaformerState owned by the caller.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "io/model_files.h"
#include "layers/contextual_decoder.h"
#include "layers/hotword_bias_encoder.h"
#include "models/paraformer/paraformer_model.h"
#include "models/paraformer/prepared_hotwords.h"

namespace funasr::models {

struct ContextualConfig {
  int64_t inner_dim = 256;                  // model_conf.inner_dim (bias vector width)
  bool use_decoder_embedding = false;       // model_conf.use_decoder_embedding
  float clas_scale = 1.0f;                  // inference kwarg clas_scale (FunASR default 1.0)
  layers::ParaformerDecoderConfig decoder;  // decoder_conf
};

class ContextualParaformerModel {
 public:
  static std::shared_ptr<const ContextualParaformerModel> Load(
      std::shared_ptr<const io::ModelFiles> files, const ParaformerLoadOptions& options = {});

  // As SeacoParaformerModel::PrepareHotwords (the [<s>] entry is appended).
  // The per-layer projections are cached in the result when they take at most
  // `max_cached_bytes` (else each request projects them again).
  std::shared_ptr<const PreparedHotwords> PrepareHotwords(
      const std::vector<std::vector<int64_t>>& hotwords,
      size_t max_cached_bytes = kMaxCachedHotwordProjectionBytes) const;

  // `hotwords` null -> the default [[<s>]] list. Must come from this model's
  // PrepareHotwords (else Error(kInvalidArgument)). keep_log_probs fills log_probs;
  // keep_intermediates the encoder/predictor fields.
  std::vector<ParaformerOutput> Run(const float* features, const layers::PackedSequences& seqs,
                                    ParaformerState& state, const ParaformerRequest& request = {},
                                    const PreparedHotwords* hotwords = nullptr) const;
  ParaformerOutput RunOne(const float* features, int64_t frames, ParaformerState& state,
                          const ParaformerRequest& request = {},
                          const PreparedHotwords* hotwords = nullptr) const;

  const ParaformerModel& core() const { return *core_; }
  const ContextualConfig& contextual_config() const { return config_; }
  const ParaformerConfig& config() const { return core_->config(); }
  const io::ModelFiles& files() const { return core_->files(); }
  const layers::HotwordBiasEncoder& bias_encoder() const { return bias_encoder_; }
  // The list used without hotwords ([[<s>]]).
  const PreparedHotwords& default_hotwords() const { return *default_hotwords_; }
  uint64_t instance_id() const { return instance_id_; }

 private:
  ContextualParaformerModel() = default;

  std::shared_ptr<const ParaformerModel> core_;  // encoder + CifPredictorV2
  ContextualConfig config_;
  layers::HotwordBiasEncoder bias_encoder_;
  layers::ContextualParaformerDecoder decoder_;
  std::shared_ptr<const PreparedHotwords> default_hotwords_;
  uint64_t instance_id_ = 0;
};

}  // namespace funasr::models
