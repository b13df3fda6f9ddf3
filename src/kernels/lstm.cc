// LSTM, PyTorch semantics:
//   gates = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, split as [i, f, g, o] (each H wide)
//   c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g),  h_t = σ(o) ⊙ tanh(c_t).
// The input projection for all frames is one GEMM; the recurrence is a GEMV per frame.
// GCC 12 reports false "maybe-uninitialized" positives inside Eigen's AVX-512 packet code.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define EIGEN_DONT_PARALLELIZE
#include "kernels/lstm.h"

#include <Eigen/Core>
#include <algorithm>
#include <cstring>
#include <vector>

#include "core/check.h"
#include "kernels/elementwise.h"
#include "kernels/gemm.h"

namespace funasr::kernels {

namespace {

void CheckDirection(const LstmDirectionWeights& w) {
  FUNASR_CHECK(w.weight_ih.defined() && w.weight_hh.defined() && w.weight_ih.rank() == 2 &&
                   w.weight_hh.rank() == 2,
               ErrorCode::kInternal, "LSTM: weights must be 2-D");
  const int64_t h = w.weight_hh.dim(1);
  FUNASR_CHECK(w.weight_hh.dim(0) == 4 * h && w.weight_ih.dim(0) == 4 * h,
               ErrorCode::kInternal, "LSTM: weight_ih ", ShapeToString(w.weight_ih.shape()),
               " / weight_hh ", ShapeToString(w.weight_hh.shape()), " do not match 4H x (I|H)");
  for (const Tensor* b : {&w.bias_ih, &w.bias_hh}) {
    FUNASR_CHECK(!b->defined() || b->numel() == 4 * h, ErrorCode::kInternal,
                 "LSTM: bias must have 4H = ", 4 * h, " elements");
  }
}

}  // namespace

void LstmDirection(const float* x, int64_t t, const LstmDirectionWeights& w, bool reverse,
                   float* y, float* h_n, float* c_n) {
  CheckDirection(w);
  const int64_t hs = w.hidden_size(), in = w.input_size(), g4 = 4 * hs;
  std::vector<float> h(static_cast<size_t>(hs), 0.f), c(static_cast<size_t>(hs), 0.f);
  if (t > 0 && hs > 0) {
    // xg[t, :] = W_ih x_t + b_ih + b_hh
    std::vector<float> xg(static_cast<size_t>(t * g4));
    Gemm(/*trans_b=*/true, t, g4, in, 1.f, x, in, w.weight_ih.data<float>(), in, 0.f,
         xg.data(), g4);
    std::vector<float> bias(static_cast<size_t>(g4), 0.f);
    if (w.bias_ih.defined()) Add(bias.data(), w.bias_ih.data<float>(), g4, bias.data());
    if (w.bias_hh.defined()) Add(bias.data(), w.bias_hh.data<float>(), g4, bias.data());
    AddBias(xg.data(), t, g4, bias.data());

    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const RowMajor> whh(w.weight_hh.data<float>(), g4, hs);
    Eigen::Map<Eigen::VectorXf> hv(h.data(), hs);
    Eigen::Map<Eigen::ArrayXf> ca(c.data(), hs);
    Eigen::VectorXf gates(g4);
    for (int64_t step = 0; step < t; ++step) {
      const int64_t ti = reverse ? t - 1 - step : step;
      gates = Eigen::Map<const Eigen::VectorXf>(xg.data() + ti * g4, g4);
      gates.noalias() += whh * hv;
      auto ga = gates.array();
      const auto i_gate = ga.segment(0, hs).logistic();
      const auto f_gate = ga.segment(hs, hs).logistic();
      const auto g_gate = ga.segment(2 * hs, hs).tanh();
      const auto o_gate = ga.segment(3 * hs, hs).logistic();
      ca = f_gate * ca + i_gate * g_gate;
      hv.array() = o_gate * ca.tanh();
      std::memcpy(y + ti * hs, h.data(), static_cast<size_t>(hs) * sizeof(float));
    }
  }
  if (h_n) std::memcpy(h_n, h.data(), static_cast<size_t>(hs) * sizeof(float));
  if (c_n) std::memcpy(c_n, c.data(), static_cast<size_t>(hs) * sizeof(float));
}

void BiLstm(const float* x, int64_t t, const LstmDirectionWeights& fwd,
            const LstmDirectionWeights& bwd, float* y) {
  CheckDirection(fwd);
  CheckDirection(bwd);
  const int64_t hf = fwd.hidden_size(), hb = bwd.hidden_size();
  FUNASR_CHECK(fwd.input_size() == bwd.input_size(), ErrorCode::kInternal,
               "BiLstm: directions have different input sizes");
  if (t == 0) return;
  std::vector<float> yf(static_cast<size_t>(t * hf)), yb(static_cast<size_t>(t * hb));
  LstmDirection(x, t, fwd, false, yf.data(), nullptr, nullptr);
  LstmDirection(x, t, bwd, true, yb.data(), nullptr, nullptr);
  const int64_t w = hf + hb;
  for (int64_t ti = 0; ti < t; ++ti) {
    std::memcpy(y + ti * w, yf.data() + ti * hf, static_cast<size_t>(hf) * sizeof(float));
    std::memcpy(y + ti * w + hf, yb.data() + ti * hb, static_cast<size_t>(hb) * sizeof(float));
  }
}

}  // namespace funasr::kernels

namespace funasr::kernels {

void LstmForwardPacked(const float* x, const int64_t* lengths, int64_t count,
                       const LstmDirectionWeights& w, float* y) {
  CheckDirection(w);
  const int64_t hs = w.hidden_size(), in = w.input_size(), g4 = 4 * hs;
  if (count <= 0 || hs == 0) return;
  std::vector<int64_t> offsets(static_cast<size_t>(count) + 1, 0);
  for (int64_t b = 0; b < count; ++b) {
    FUNASR_CHECK(lengths[b] >= 0, ErrorCode::kInternal, "LSTM: negative sequence length");
    offsets[static_cast<size_t>(b) + 1] = offsets[static_cast<size_t>(b)] + lengths[b];
  }
  const int64_t total = offsets.back();
  if (total == 0) return;
  // Longest first, so that the sequences still running at step t are a prefix.
  std::vector<int64_t> order(static_cast<size_t>(count));
  for (int64_t b = 0; b < count; ++b) order[static_cast<size_t>(b)] = b;
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; });

  // xg[r, :] = W_ih x_r + b_ih + b_hh for every row at once.
  std::vector<float> xg(static_cast<size_t>(total * g4));
  Gemm(/*trans_b=*/true, total, g4, in, 1.f, x, in, w.weight_ih.data<float>(), in, 0.f,
       xg.data(), g4);
  std::vector<float> bias(static_cast<size_t>(g4), 0.f);
  if (w.bias_ih.defined()) Add(bias.data(), w.bias_ih.data<float>(), g4, bias.data());
  if (w.bias_hh.defined()) Add(bias.data(), w.bias_hh.data<float>(), g4, bias.data());
  AddBias(xg.data(), total, g4, bias.data());

  // States in `order` order.
  std::vector<float> h(static_cast<size_t>(count * hs), 0.f);
  std::vector<float> c(static_cast<size_t>(count * hs), 0.f);
  std::vector<float> gates(static_cast<size_t>(count * g4));
  int64_t active = count;
  const int64_t steps = lengths[order[0]];
  for (int64_t t = 0; t < steps; ++t) {
    while (active > 0 && lengths[order[static_cast<size_t>(active) - 1]] <= t) --active;
    for (int64_t j = 0; j < active; ++j) {
      const int64_t row = offsets[static_cast<size_t>(order[static_cast<size_t>(j)])] + t;
      std::memcpy(gates.data() + j * g4, xg.data() + row * g4,
                  static_cast<size_t>(g4) * sizeof(float));
    }
    Gemm(/*trans_b=*/true, active, g4, hs, 1.f, h.data(), hs, w.weight_hh.data<float>(), hs,
         1.f, gates.data(), g4);
    for (int64_t j = 0; j < active; ++j) {
      Eigen::Map<Eigen::ArrayXf> ga(gates.data() + j * g4, g4);
      Eigen::Map<Eigen::ArrayXf> ca(c.data() + j * hs, hs);
      Eigen::Map<Eigen::ArrayXf> ha(h.data() + j * hs, hs);
      const auto i_gate = ga.segment(0, hs).logistic();
      const auto f_gate = ga.segment(hs, hs).logistic();
      const auto g_gate = ga.segment(2 * hs, hs).tanh();
      const auto o_gate = ga.segment(3 * hs, hs).logistic();
      ca = f_gate * ca + i_gate * g_gate;
      ha = o_gate * ca.tanh();
      const int64_t row = offsets[static_cast<size_t>(order[static_cast<size_t>(j)])] + t;
      std::memcpy(y + row * hs, h.data() + j * hs, static_cast<size_t>(hs) * sizeof(float));
    }
  }
}

}  // namespace funasr::kernels
