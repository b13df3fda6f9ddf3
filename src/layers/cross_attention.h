// MultiHeadedAttentionCrossAtt: FunASR's decoder source attention
// (funasr/models/sanm/attention.py, paraformer-pipeline.md §4.3):
//   q = linear_q(x)                    d_model -> d_model, bias
//   [k | v] = linear_k_v(memory)       memory_features -> 2*d_model, bias (k = first half)
//   out = linear_out(MultiHeadAttention(q, k, v, scale d_k^-1/2))   (no FSMN term)
// Weights relative to the prefix (e.g. "decoder.decoders.0.src_attn"): linear_q,
// linear_k_v, linear_out (.weight/.bias).
//
// The memory projection is separate (ProjectMemory) so that a memory used by several calls
// (SeACo's hotword list, repeated passes) is projected once.
#pragma once

#include <cstdint>
#include <string>

#include "io/model_files.h"
#include "kernels/linear.h"
#include "layers/linear_loader.h"
#include "layers/multi_head_attention.h"
#include "layers/packed_sequences.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct CrossAttentionConfig {
  int64_t d_model = 512;          // query / output width (FunASR n_feat)
  int64_t memory_features = 512;  // width of the memory rows (encoder_output_size)
  int64_t num_heads = 4;
};

class MultiHeadedAttentionCrossAtt {
 public:
  MultiHeadedAttentionCrossAtt() = default;
  static MultiHeadedAttentionCrossAtt Load(const io::ModelFiles& files,
                                           const std::string& prefix,
                                           const CrossAttentionConfig& config,
                                           const WeightOptions& options);

  // kv [rows, 2*d_model] = linear_k_v(memory [rows, memory_features]).
  void ProjectMemory(const float* memory, int64_t rows, float* kv) const;

  // x [rows_q, d_model] packed by `queries` -> y [rows_q, d_model] (y must not overlap x).
  // kv comes from ProjectMemory, packed by `memories`: either one memory sequence per query
  // sequence, or a single memory shared by every query sequence. When `probs` is not null it
  // receives the attention probabilities, per query sequence i a block [heads, Tq_i, Tm_i],
  // blocks back to back in sequence order. With `residual` [rows_q, d_model] (may be y
  // itself): y = residual + attention, added as the output rows are produced.
  void Forward(const float* x, const PackedSequences& queries, const float* kv,
               const PackedSequences& memories, float* y, Workspace& ws,
               float* probs = nullptr, const float* residual = nullptr) const;

  // Forward's steps on their own, for callers that schedule the threads themselves
  // (ParaformerSanmDecoder's row-block schedule). Each runs on the calling thread and
  // computes exactly what Forward does for the same rows.
  //
  // Rows [r0, r1) of kv = ProjectMemory(memory).
  void ProjectMemoryRows(const float* memory, int64_t r0, int64_t r1, float* kv) const;
  // Rows [r0, r1) of q = linear_q(x), x and q [rows_q, d_model].
  void QueryRows(const float* x, int64_t r0, int64_t r1, float* q) const;
  // The attention problem of query sequence s (solved per head with SolveAttentionHead);
  // writes context [rows_q, d_model].
  AttentionProblem Problem(const float* q, const PackedSequences& queries, const float* kv,
                           const PackedSequences& memories, int64_t s, float* context) const;
  float Scale() const;
  // Rows [r0, r1): y = residual + linear_out(context); residual may be y, or null.
  void OutputRows(const float* context, const float* residual, int64_t r0, int64_t r1,
                  float* y) const;
  // Whether row blocks (of the query rows, and of the memory rows for the key/value
  // projection) give the rows of one call exactly (kernels::LinearRowBlocksExact).
  bool RowBlocksExact(int64_t rows, int64_t memory_rows, int64_t blocks) const {
    return kernels::LinearRowBlocksExact(linear_q_, rows, blocks) &&
           kernels::LinearRowBlocksExact(linear_k_v_, memory_rows, blocks) &&
           kernels::LinearRowBlocksExact(linear_out_, rows, blocks);
  }

  const CrossAttentionConfig& config() const { return config_; }

 private:
  // Throws unless there is one memory per query sequence or one shared memory; true for
  // the shared one.
  static bool CheckMemories(const PackedSequences& queries, const PackedSequences& memories);

  CrossAttentionConfig config_;
  kernels::LinearWeights linear_q_;
  kernels::LinearWeights linear_k_v_;
  kernels::LinearWeights linear_out_;
};

}  // namespace funasr::layers
