// MultiHeadedAttentionSanm: FunASR's MultiHeadedAttentionSANM (funasr/models/sanm/attention.py),
// self-attention with an FSMN memory on v (paraformer-pipeline.md §2.4):
//   [q | k | v] = linear_q_k_v(x)                     in_features -> 3 * d_model, bias
//   mem = FSMN(v) = DepthwiseConv1d_K(pad(v)) + v      (fsmn_block, no bias, shift sanm_shift)
//   out = linear_out(MultiHeadAttention(q, k, v, scale = d_k^-1/2, attention mask)) + mem
//
// Generic over the SAN-M family: Paraformer's encoder (in 560/512, d 512, 4 heads, K 11,
// shift 0), CT-Transformer's SANMEncoder (d 128/256, K 11) and its realtime SANMVadEncoder
// (K 11, sanm_shfit 5, causal/VAD attention masks). Nothing here is Paraformer-specific.
//
// Weights, relative to the prefix (e.g. "encoder.encoders.3.self_attn"):
//   linear_q_k_v.weight [3*d_model, in_features], linear_q_k_v.bias [3*d_model]
//   fsmn_block.weight   [d_model, 1, kernel_size]
//   linear_out.weight   [d_model, d_model],       linear_out.bias   [d_model]
//
// Masks: sequences are packed (layers/packed_sequences.h), so frames of other sequences are
// never seen (= FunASR's padding mask). An optional per-sequence [T, T] attention mask
// (1 = query t may attend key s) restricts the attention part only, like FunASR's
// `mask_att_chunk_encoder` / SANMVadEncoder's second mask; the FSMN memory always sees the
// whole sequence (FunASR applies only the padding mask there).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/model_files.h"
#include "kernels/linear.h"
#include "layers/fsmn_memory.h"
#include "layers/linear_loader.h"
#include "layers/multi_head_attention.h"
#include "layers/packed_sequences.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct SanmAttentionConfig {
  int64_t in_features = 512;  // width of x (FunASR `in_feat`)
  int64_t d_model = 512;      // FunASR `n_feat`: width of q, k, v and of the output
  int64_t num_heads = 4;      // d_model must be a multiple
  int64_t kernel_size = 11;   // FSMN kernel
  int64_t sanm_shift = 0;     // FunASR `sanm_shfit`: extra left padding of the FSMN
};

// Per-sequence attention masks for a packed batch: empty (none), or one entry per sequence,
// each null (no mask) or pointing at a [T_i, T_i] uint8 matrix.
using AttentionMasks = std::vector<const uint8_t*>;

class MultiHeadedAttentionSanm {
 public:
  MultiHeadedAttentionSanm() = default;
  // Linear layers are quantised when options.quantize_int8; the FSMN stays fp32.
  static MultiHeadedAttentionSanm Load(const io::ModelFiles& files, const std::string& prefix,
                                       const SanmAttentionConfig& config,
                                       const WeightOptions& options);

  // x [total_rows, in_features] -> y [total_rows, d_model]; x and y must not overlap.
  // With `residual` [total_rows, d_model] (y itself, or not overlapping y): y = residual +
  // attention, added as the output rows are produced (the encoder layer's skip connection).
  void Forward(const float* x, const PackedSequences& seqs, const AttentionMasks& masks,
               float* y, Workspace& ws, const float* residual = nullptr) const;

  // Forward's steps on their own, for callers that schedule the threads themselves
  // (SanmEncoder's row-block schedule). Each runs on the calling thread and computes exactly
  // what Forward does for the same rows. Buffers span all rows of the batch:
  // qkv [rows, 3*d_model], v, memory and context [rows, d_model].
  //
  // Rows [r0, r1): qkv = linear_q_k_v(x), v = the v third of qkv, contiguous.
  void ProjectRows(const float* x, int64_t r0, int64_t r1, float* qkv, float* v) const;
  // Rows [r0, r1) of the FSMN memory over v; needs v on the neighbouring rows as well.
  // `scratch`: MemoryScratchFloats(r1 - r0) floats.
  void MemoryRows(const float* v, const PackedSequences& seqs, int64_t r0, int64_t r1,
                  float* memory, float* scratch) const;
  int64_t MemoryScratchFloats(int64_t block_rows) const {
    return fsmn_.ScratchFloats(block_rows);
  }
  // The attention problem of sequence s over these buffers (solved per head with
  // SolveAttentionHead); writes context.
  AttentionProblem Problem(const float* qkv, const float* v, const PackedSequences& seqs,
                           const AttentionMasks& masks, int64_t s, float* context) const;
  float Scale() const;
  // Rows [r0, r1): y = residual + (linear_out(context) + memory); residual may be y, or
  // null (no skip connection).
  void OutputRows(const float* context, const float* memory, const float* residual, int64_t r0,
                  int64_t r1, float* y) const;

  const SanmAttentionConfig& config() const { return config_; }
  // Whether row blocks give the rows of one call exactly (kernels::LinearRowBlocksExact).
  bool RowBlocksExact(int64_t rows, int64_t blocks) const {
    return kernels::LinearRowBlocksExact(linear_q_k_v_, rows, blocks) &&
           kernels::LinearRowBlocksExact(linear_out_, rows, blocks);
  }

 private:
  void CopyV(const float* qkv, int64_t r0, int64_t r1, float* v) const;

  SanmAttentionConfig config_;
  kernels::LinearWeights linear_q_k_v_;
  kernels::LinearWeights linear_out_;
  FsmnMemoryBlock fsmn_;
};

}  // namespace funasr::layers
