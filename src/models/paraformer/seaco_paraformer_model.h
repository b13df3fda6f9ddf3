// SeacoParaformerModel: FunASR's SeacoParaformer (`model: SeacoParaformer`, the model behind
// the `paraformer-zh` alias; paraformer-pipeline.md §8.3) — a BiCif-Paraformer core plus
// semantic-aware hotword biasing:
//   hotwords (token ids, no-bias [<s>] last) -> HotwordBiasEncoder (decoder.embed.0.weight,
//     2-layer LSTM, output at the last token) -> Hw [n+1, d]
//   features -> encoder -> CifPredictorV3 -> main decoder -> P_dec = log_softmax(logits) and
//     its hidden states `hid`
//   with hotwords (`_seaco_decode_with_ASF`):
//     if n+1 > 50: ASF — attention scores of seaco_decoder layer 5 (run on hid) over all
//       entries; keep the top min(50, n) entries plus the no-bias entry
//     a = seaco_decoder(E) + seaco_decoder(hid)  (memory = the kept entries)
//     P_dha = log_softmax(hotword_output_layer(a))
//     per position: P = P_dec where argmax P_dha == NO_BIAS, else P_dha  (seaco_weight 1)
//   greedy argmax -> ids without blank/<s>/</s>; timestamps from the V3 upsampled alphas.
// Without hotwords (none given, or an empty list) the result is the plain BiCif decoding,
// as FunASR with hotword=None.
//
// Batches: each utterance's result equals running it alone (FunASR filters with batch item
// 0's attention for the whole batch; that artefact is not reproduced).
// Immutable after Load(); per-request state is a ParaformerState owned by the caller.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "io/model_files.h"
#include "layers/hotword_bias_encoder.h"
#include "layers/seaco_decoder.h"
#include "models/paraformer/paraformer_model.h"
#include "models/paraformer/prepared_hotwords.h"

namespace funasr::models {

struct SeacoConfig {
  int64_t inner_dim = 256;  // model_conf.inner_dim (bias vectors, seaco decoder width)
  int64_t no_bias = 8377;   // model_conf.NO_BIAS: the hotword head's "keep ASR" class
  int64_t asf_top_k = 50;   // nfilter of _seaco_decode_with_ASF
  layers::ParaformerDecoderConfig seaco_decoder;  // seaco_decoder_conf
};

// Per-utterance result: the Paraformer output (log_probs = the merged log-probs) plus the
// hotword branch's intermediates.
struct SeacoOutput : ParaformerOutput {
  bool hotwords_applied = false;        // the hotword branch ran
  std::vector<int64_t> dha_argmax_ids;  // [N] argmax of P_dha (hotwords_applied)
  int64_t dha_positions = 0;            // positions that took the hotword distribution
  // ASF (when it ran): the score of every entry, and the entries kept (no-bias last).
  std::vector<float> asf_scores;
  std::vector<int64_t> asf_kept;
  // keep_log_probs and hotwords_applied: [N, vocab] each.
  std::vector<float> asr_log_probs;
  std::vector<float> dha_log_probs;
};

class SeacoParaformerModel {
 public:
  static std::shared_ptr<const SeacoParaformerModel> Load(
      std::shared_ptr<const io::ModelFiles> files, const ParaformerLoadOptions& options = {});

  // Encodes a hotword list: `hotwords` are the user hotwords' token ids (each non-empty,
  // ids within the vocabulary); the no-bias entry [<s>] is appended. Throws
  // Error(kInvalidArgument) for an empty hotword or an invalid id.
  // The per-layer projections are cached in the result when they take at most
  // `max_cached_bytes` (else each request projects them again).
  std::shared_ptr<const PreparedHotwords> PrepareHotwords(
      const std::vector<std::vector<int64_t>>& hotwords,
      size_t max_cached_bytes = kMaxCachedHotwordProjectionBytes) const;

  // `hotwords`: null or without user hotwords -> plain decoding. Must come from this
  // model's PrepareHotwords (else Error(kInvalidArgument)).
  std::vector<SeacoOutput> Run(const float* features, const layers::PackedSequences& seqs,
                               ParaformerState& state, const ParaformerRequest& request = {},
                               const PreparedHotwords* hotwords = nullptr) const;
  SeacoOutput RunOne(const float* features, int64_t frames, ParaformerState& state,
                     const ParaformerRequest& request = {},
                     const PreparedHotwords* hotwords = nullptr) const;

  const ParaformerModel& core() const { return *core_; }
  const SeacoConfig& seaco_config() const { return config_; }
  const ParaformerConfig& config() const { return core_->config(); }
  const io::ModelFiles& files() const { return core_->files(); }
  const layers::HotwordBiasEncoder& bias_encoder() const { return bias_encoder_; }
  const layers::SeacoDecoder& seaco_decoder() const { return seaco_decoder_; }
  uint64_t instance_id() const { return instance_id_; }

 private:
  SeacoParaformerModel() = default;
  // The hotword branch for the token sequences in `tokens` (rows `embeds` and `hidden`,
  // [rows, d] each) with memory = the kept entries -> dha log-probs [rows, vocab].
  void HotwordLogProbs(const float* embeds, const float* hidden,
                       const layers::PackedSequences& tokens, const PreparedHotwords& hw,
                       const std::vector<int64_t>* kept, float* dha, ParaformerState& state) const;

  std::shared_ptr<const ParaformerModel> core_;
  SeacoConfig config_;
  layers::HotwordBiasEncoder bias_encoder_;
  layers::SeacoDecoder seaco_decoder_;
  kernels::LinearWeights hotword_output_layer_;
  uint64_t instance_id_ = 0;
};

}  // namespace funasr::models
