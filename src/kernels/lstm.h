// LSTM over a [T, I] sequence, PyTorch semantics (gate order i, f, g, o; both biases).
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace funasr::kernels {

// One direction of one layer: weight_ih [4H, I], weight_hh [4H, H], bias_ih/bias_hh [4H]
// (either bias may be undefined = zero).
struct LstmDirectionWeights {
  Tensor weight_ih;
  Tensor weight_hh;
  Tensor bias_ih;
  Tensor bias_hh;
  int64_t hidden_size() const { return weight_hh.dim(1); }
  int64_t input_size() const { return weight_ih.dim(1); }
};

// Runs one direction from zero initial state. y is [T, H] (row t = h_t; for reverse the
// sequence is processed from t = T-1 down to 0 and y[t] is still the state at step t).
// h_n / c_n ([H]) receive the final state when not null. T may be 0 (h_n = c_n = 0).
void LstmDirection(const float* x, int64_t t, const LstmDirectionWeights& w, bool reverse,
                   float* y, float* h_n, float* c_n);

// Bidirectional layer: y is [T, 2H] = concat(forward h_t, backward h_t) per frame.
void BiLstm(const float* x, int64_t t, const LstmDirectionWeights& fwd,
            const LstmDirectionWeights& bwd, float* y);

}  // namespace funasr::kernels

namespace funasr::kernels {

// Many independent sequences through one forward direction, stored back to back without
// padding: x [Σ lengths, I] -> y [Σ lengths, H] (row offset_b + t = h_t of sequence b), each
// from a zero initial state. The recurrent products of all sequences still running at a
// step form one GEMM (sequences are taken longest first, like PyTorch's packed sequences),
// which is what makes thousands of short sequences (hotword lists) cheap. Each sequence's
// result equals LstmDirection on it alone up to float rounding. Lengths may be 0.
void LstmForwardPacked(const float* x, const int64_t* lengths, int64_t count,
                       const LstmDirectionWeights& w, float* y);

}  // namespace funasr::kernels
