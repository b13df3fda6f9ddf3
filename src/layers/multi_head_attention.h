// Scaled dot-product attention over several heads, the part shared by SAN-M self-attention
// and the decoder's cross-attention (paraformer-pipeline.md §2.4, §4.3):
//   for each head h (dims h*d_k .. h*d_k+d_k-1 of q, k, v and out):
//     s = scale * q_h k_hᵀ ; s[i, j] = -inf where mask[i, j] == 0
//     p = softmax(s) ; p[i, j] = 0 where mask[i, j] == 0   (an all-masked row gives 0s)
//     out_h = p v_h
// FunASR scales q before the product; scaling the product instead differs by float
// rounding only.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "layers/workspace.h"

namespace funasr::layers {

// One query sequence attending over one key/value sequence. q, k, v and out are row-major
// with the given row strides (so q, k, v can point into a fused projection).
struct AttentionProblem {
  const float* q = nullptr;
  int64_t ldq = 0;
  int64_t tq = 0;
  const float* k = nullptr;
  int64_t ldk = 0;
  const float* v = nullptr;
  int64_t ldv = 0;
  int64_t tk = 0;
  const uint8_t* mask = nullptr;  // null (attend everywhere) or [tq, tk], 1 = may attend
  float* out = nullptr;           // [tq, heads*d_k] with row stride ldo
  int64_t ldo = 0;
  float* probs = nullptr;         // null, or receives p as [heads, tq, tk]
};

// FunASR's scale q_h * d_k ** (-0.5): a Python double, applied to a float32 tensor.
inline float AttentionScale(int64_t d_k) {
  return static_cast<float>(std::pow(static_cast<double>(d_k), -0.5));
}

// Solves every problem for every head. Uses GetNumThreads() threads: over (problem, head)
// pairs when there are enough of them, otherwise inside each GEMM.
void MultiHeadAttention(const std::vector<AttentionProblem>& problems, int64_t heads,
                        int64_t d_k, float scale, Workspace& ws);

// One head of one problem on the calling thread, its score scratch a buffer of this thread
// (for callers that schedule heads themselves). Same result as MultiHeadAttention.
void SolveAttentionHead(const AttentionProblem& p, int64_t head, int64_t d_k, float scale);

}  // namespace funasr::layers
