// SeacoDecoder: SeACo-Paraformer's `seaco_decoder` (funasr/models/seaco_paraformer/model.py,
// paraformer-pipeline.md §8.3) — a ParaformerSANMDecoder without embedding and output layer
// whose cross-attention memory is the hotword list (one bias vector per hotword, all
// valid), run on the CIF embeddings and on the main decoder's hidden states.
//
// The memory projection of every cross-attention layer (linear_k_v) depends only on the
// hotword list, so callers project a list once (ProjectMemory, e.g. when hotwords are
// prepared for repeated use) and pass the projected rows to Forward / AttentionScores.
// Rows of a projection are independent: the projection of a subset of hotwords (after
// ASF filtering) is the same subset of rows.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/model_files.h"
#include "layers/linear_loader.h"
#include "layers/packed_sequences.h"
#include "layers/paraformer_decoder.h"
#include "layers/workspace.h"

namespace funasr::layers {

// Supplies attention layer `layer`'s projected memory [memory_rows, 2 * d_model]; the
// pointer must stay valid until the next call (so a provider may reuse one buffer).
using ProjectedMemory = std::function<const float*(int64_t layer)>;

class SeacoDecoder {
 public:
  // FunASR's forward_asf6 takes the attention of decoders[5] after running decoders[0..4].
  static constexpr int64_t kScoreLayer = 5;

  SeacoDecoder() = default;
  // `config` from seaco_decoder_conf (ParaformerDecoderConfig::FromConfig with the model's
  // inner_dim); use_output_layer must be false.
  static SeacoDecoder Load(const io::ModelFiles& files, const std::string& prefix,
                           const ParaformerDecoderConfig& config, const WeightOptions& options);

  // Number of layers with cross-attention (decoder_conf att_layer_num).
  int64_t num_attention_layers() const { return decoder_.config().att_layer_num; }
  int64_t d_model() const { return decoder_.config().d_model; }
  // kv [rows, 2 * d_model] = attention layer `layer`'s linear_k_v(memory [rows, d_model]).
  void ProjectMemory(int64_t layer, const float* memory, int64_t rows, float* kv) const;

  // hidden [rows, d] = after_norm(decoder(x)) for x [rows, d] packed by `tokens`;
  // memory(l) = ProjectMemory(l, ...) of the `memory_rows` hotword rows shared by every
  // token sequence. hidden may equal x.
  void Forward(const float* x, const PackedSequences& tokens, const ProjectedMemory& memory,
               int64_t memory_rows, float* hidden, Workspace& ws) const;

  // FunASR's `forward_asf6(...)[0].sum(0).sum(0)` for one sequence x [n, d]: layers
  // 0..kScoreLayer-1 run in full, then layer kScoreLayer up to its cross-attention
  // probabilities; scores[j] = Σ_heads Σ_positions probability of memory row j.
  // memory(l) is asked for l = 0..kScoreLayer. Requires num_attention_layers() > kScoreLayer.
  void AttentionScores(const float* x, int64_t n, const ProjectedMemory& memory,
                       int64_t memory_rows, float* scores, Workspace& ws) const;

  const ParaformerSanmDecoder& decoder() const { return decoder_; }

 private:
  ParaformerSanmDecoder decoder_;
};

}  // namespace funasr::layers
