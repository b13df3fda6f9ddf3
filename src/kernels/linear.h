// Dense (fully connected) layer in PyTorch layout: y = x · Wᵀ + b.
#pragma once

#include <cstdint>
#include <memory>

#include "core/tensor.h"

namespace funasr::kernels {

// Weights of one nn.Linear. `weight` is [out, in] f32, or i8 with `scales` [out] f32
// (symmetric per-output-channel quantisation: w ≈ scales[o] * q[o, i]). `bias` is [out]
// f32 or undefined. `packed` is an optional backend-specific prepacked copy built once at
// load time by PrepareLinear(); it is never modified afterwards. The packed copy replaces
// `weight` (then undefined; packed_out / packed_in / packed_int8 keep its shape and type),
// so that a prepared layer holds its weights once.
struct LinearWeights {
  Tensor weight;
  Tensor scales;
  Tensor bias;
  std::shared_ptr<const void> packed;
  int64_t packed_out = 0, packed_in = 0;  // while `weight` is undefined: its shape
  bool packed_int8 = false;               // and whether it was int8

  int64_t out_features() const { return weight.defined() ? weight.dim(0) : packed_out; }
  int64_t in_features() const { return weight.defined() ? weight.dim(1) : packed_in; }
  bool quantized() const {
    return weight.defined() ? weight.dtype() == DType::kI8 : packed_int8;
  }
};

// Row-wise steps Linear applies to its own output, in this order, while that output is
// still in cache: one pass instead of separate ReLU and residual-add passes over memory
// (and, with several threads, no extra synchronisation point per step). The results are
// exactly those of the separate steps (kernels::Relu, then kernels::Add(residual, y), then
// kernels::Add(outer_residual, y)).
struct LinearEpilogue {
  bool relu = false;                      // y = max(y, 0)
  const float* residual = nullptr;        // then y = residual + y; [m, out], may be y
  const float* outer_residual = nullptr;  // then y = outer_residual + y; [m, out], may be y
};

// y[m, out] = x[m, in] · Wᵀ (+ bias), then `epilogue`. x and y must not overlap. m may be 0.
// Uses GetNumThreads() threads (1 inside an OpenMP parallel region); the result is
// bit-identical for any thread count. Safe to call concurrently on shared weights.
// int8 weights: activations are quantised per row on the fly (symmetric, max|x_row|/127),
// int32 accumulation, y = acc · x_scale[row] · w_scale[out] + bias (relative error vs the
// f32 layer ~0.5% of max|y| on random data, see kernels_linear_test).
void Linear(const float* x, int64_t m, const LinearWeights& w, float* y,
            const LinearEpilogue& epilogue = {});

// Whether Linear over `blocks` row blocks of an m-row input (rows m·b/blocks ..
// m·(b+1)/blocks) gives exactly the rows of one m-row call, so that a schedule may group
// rows either way. Always for int8 (exact integer sums, per-row activation scales); for f32
// when the whole row count and both block sizes run on the packed kernel, whose sum order
// does not depend on the row count (never on a fallback that sums differently).
bool LinearRowBlocksExact(const LinearWeights& w, int64_t m, int64_t blocks);

// Symmetric per-output-channel int8 quantisation of an f32 LinearWeights (bias stays f32).
LinearWeights QuantizeLinearInt8(const LinearWeights& w);

// Builds whatever prepacked form the backend wants (called once after loading; a no-op when
// already prepared). Strongly recommended: f32 then runs on oneDNN's packed-weight matmul
// (~30% faster than without) and int8 on oneDNN's AMX/VNNI kernels (without it int8 uses a
// slow plain loop). The packed copy replaces w.weight (released; the source tensor, e.g. a
// model.pt storage or a mapped file page, is no longer referenced): one copy of the weights.
void PrepareLinear(LinearWeights& w);

}  // namespace funasr::kernels
