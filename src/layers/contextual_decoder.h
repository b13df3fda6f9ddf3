// ContextualParaformerDecoder: FunASR's ContextualParaformerDecoder
// (funasr/models/contextual_paraformer/decoder.py, paraformer-pipeline.md §8.2), a
// ParaformerSANMDecoder whose last cross-attention layer also attends to the hotword
// vectors (CLAS-style bias):
//   x = decoders.l(x, memory),  l < att_layer_num - 1
//   last_decoder (ContextualDecoderLayer):
//     x_self = x + FSMN(LN2(FFN(LN1(x))))
//     x_src  = CrossAtt(LN3(x_self), memory)              (no residual)
//   bias_decoder (ContextualBiasDecoder):
//     cx     = CrossAtt_bias(LN3_bias(x_self), hotwords)  (every hotword valid)
//   x = x_self + bias_output([x_src, clas_scale * cx])    (Conv1d 2d -> d, k=1, no bias)
//   x = decoders2.l(x) ; x = decoders3.0(x) ; hidden = after_norm(x) ; logits = output_layer
// Weights under the prefix ("decoder"): decoders.{l}, last_decoder, bias_decoder.{norm3,
// src_attn}, bias_output.weight [d, 2d, 1], decoders2.{l}, decoders3.0, after_norm,
// output_layer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/model_files.h"
#include "kernels/linear.h"
#include "layers/cross_attention.h"
#include "layers/layer_norm.h"
#include "layers/linear_loader.h"
#include "layers/packed_sequences.h"
#include "layers/paraformer_decoder.h"
#include "layers/sanm_decoder_layer.h"
#include "layers/workspace.h"

namespace funasr::layers {

class ContextualParaformerDecoder {
 public:
  ContextualParaformerDecoder() = default;
  // `config` from decoder_conf (same keys and defaults as ParaformerSANMDecoder);
  // att_layer_num >= 1 and use_output_layer true.
  static ContextualParaformerDecoder Load(const io::ModelFiles& files, const std::string& prefix,
                                          const ParaformerDecoderConfig& config,
                                          const WeightOptions& options);

  // bias_kv [rows, 2d] = the bias cross-attention's linear_k_v(hotword vectors [rows, d]).
  void ProjectBias(const float* bias, int64_t rows, float* bias_kv) const;

  // embeds [rows_n, d] packed by `tokens`, encoder memory packed by `frames`, the projected
  // hotword vectors (`bias_rows` rows shared by every sequence) -> hidden [rows_n, d]
  // (after_norm output). hidden may equal embeds.
  void ForwardHidden(const float* embeds, const PackedSequences& tokens, const float* memory,
                     const PackedSequences& frames, const float* bias_kv, int64_t bias_rows,
                     float clas_scale, float* hidden, Workspace& ws) const;
  // logits [rows, vocab] = output_layer(hidden).
  void OutputLayer(const float* hidden, int64_t rows, float* logits) const;

  const ParaformerDecoderConfig& config() const { return config_; }

 private:
  ParaformerDecoderConfig config_;
  std::vector<DecoderLayerSanm> decoders_;  // att_layer_num - 1 full layers
  DecoderLayerSanm last_decoder_;
  LayerNorm bias_norm3_;
  MultiHeadedAttentionCrossAtt bias_attn_;
  kernels::LinearWeights bias_output_;  // [d, 2d], no bias
  std::vector<DecoderLayerSanm> tail_;  // decoders2, then decoders3.0
  LayerNorm after_norm_;
  kernels::LinearWeights output_layer_;
};

}  // namespace funasr::layers
