// DecoderLayerSanm: FunASR's DecoderLayerSANM (funasr/models/paraformer/decoder.py) with
// normalize_before = true (paraformer-pipeline.md §4.3). Unusual order, FFN first:
//   t = FFN_dec(LN1(x))                                  (feed_forward, norm1)
//   with self-attention:  x = x + FSMN(LN2(t))           (self_attn = the FSMN-only
//                                                          MultiHeadedAttentionSANMDecoder)
//   without (decoders3):  x = t                          (no residual at all)
//   with cross-attention: x = x + CrossAtt(LN3(x), memory)   (src_attn, norm3)
// Three kinds occur: `decoders` (all three parts), `decoders2` (FFN + FSMN) and `decoders3`
// (FFN only). Weights relative to the prefix (e.g. "decoder.decoders.0"): norm1,
// feed_forward.{w_1,norm,w_2}, norm2 + self_attn.fsmn_block [d,1,K] when has_self_attn,
// norm3 + src_attn.{linear_q,linear_k_v,linear_out} when has_src_attn.
#pragma once

#include <cstdint>
#include <string>

#include "io/model_files.h"
#include "layers/cross_attention.h"
#include "layers/feed_forward.h"
#include "layers/fsmn_memory.h"
#include "layers/layer_norm.h"
#include "layers/linear_loader.h"
#include "layers/packed_sequences.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct DecoderLayerSanmConfig {
  int64_t d_model = 512;          // attention_dim (= encoder_output_size)
  int64_t linear_units = 2048;    // FFN hidden width
  int64_t num_heads = 4;          // cross-attention heads
  int64_t kernel_size = 11;       // FSMN kernel
  int64_t sanm_shift = 0;         // FSMN extra left padding
  int64_t memory_features = 512;  // width of the cross-attention memory
  bool has_self_attn = true;      // FSMN block (decoders, decoders2)
  bool has_src_attn = true;       // cross-attention (decoders)
};

class DecoderLayerSanm {
 public:
  DecoderLayerSanm() = default;
  static DecoderLayerSanm Load(const io::ModelFiles& files, const std::string& prefix,
                               const DecoderLayerSanmConfig& config,
                               const WeightOptions& options);

  // x [rows, d_model] packed by `tokens`, updated in place. For a layer with cross-attention,
  // memory_kv is src_attn().ProjectMemory(memory) packed by `frames` (see cross_attention.h);
  // otherwise it is ignored.
  void Forward(float* x, const PackedSequences& tokens, const float* memory_kv,
               const PackedSequences& frames, Workspace& ws) const;

  // The two halves of Forward, for decoders that insert their own step between them
  // (ContextualParaformer's last layer, SeACo's attention-score pass):
  // x = x + FSMN(LN2(FFN(LN1(x))))  (or x = FFN(LN1(x)) without self-attention).
  void ForwardFeedForwardAndSelfAttention(float* x, const PackedSequences& tokens,
                                          Workspace& ws) const;
  // x = x + CrossAtt(LN3(x)); `probs` as in MultiHeadedAttentionCrossAtt::Forward.
  void ForwardSourceAttention(float* x, const PackedSequences& tokens, const float* memory_kv,
                              const PackedSequences& frames, Workspace& ws,
                              float* probs = nullptr) const;

  // Forward split at the points where rows mix, for ParaformerSanmDecoder's row-block
  // schedule. Buffers span all rows; each call runs on the calling thread and computes
  // exactly what Forward does for its rows.
  struct RowBuffers {
    float* h = nullptr;        // [rows, d_model]
    float* t = nullptr;        // [rows, d_model], the FSMN input (FFN output)
    float* hidden = nullptr;   // [rows, linear_units]
    float* q = nullptr;        // [rows, d_model]
    float* context = nullptr;  // [rows, d_model]
  };
  // Rows [r0, r1): b.t = LN2(FFN(LN1(x))), or x = FFN(LN1(x)) without self-attention.
  void FeedForwardRows(float* x, int64_t r0, int64_t r1, const RowBuffers& b) const;
  // Once b.t is complete on the neighbouring rows too: x += FSMN(b.t) on rows [r0, r1)
  // (with self-attention), then b.q = linear_q(LN3(x)) there (with cross-attention).
  // `scratch`: ScratchFloats(r1 - r0) floats.
  void SelfAttentionRows(float* x, const PackedSequences& tokens, int64_t r0, int64_t r1,
                         const RowBuffers& b, float* scratch) const;
  int64_t ScratchFloats(int64_t block_rows) const {
    return config_.has_self_attn ? self_attn_.ScratchFloats(block_rows) : 0;
  }
  // Then src_attn().Problem per query sequence, solved per head (SolveAttentionHead), and
  // rows [r0, r1) of x += linear_out(b.context).
  void SourceOutputRows(float* x, int64_t r0, int64_t r1, const RowBuffers& b) const;
  // Whether every projection gives the same rows when its rows are split into `blocks`
  // blocks (int8 always; f32 on the packed kernel): then the row-block schedule equals the
  // per-operation one bit for bit.
  bool RowBlocksExact(int64_t rows, int64_t memory_rows, int64_t blocks) const {
    return feed_forward_.RowBlocksExact(rows, blocks) &&
           (!config_.has_src_attn || src_attn_.RowBlocksExact(rows, memory_rows, blocks));
  }

  const DecoderLayerSanmConfig& config() const { return config_; }
  bool has_self_attn() const { return config_.has_self_attn; }
  bool has_src_attn() const { return config_.has_src_attn; }
  const MultiHeadedAttentionCrossAtt& src_attn() const { return src_attn_; }
  const LayerNorm& norm3() const { return norm3_; }

 private:
  DecoderLayerSanmConfig config_;
  LayerNorm norm1_;
  PositionwiseFeedForwardDecoderSanm feed_forward_;
  LayerNorm norm2_;
  FsmnMemoryBlock self_attn_;
  LayerNorm norm3_;
  MultiHeadedAttentionCrossAtt src_attn_;
};

}  // namespace funasr::layers
