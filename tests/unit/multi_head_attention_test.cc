// layers::MultiHeadAttention against a naive double-precision reference: long sequences
// (query-row blocking), masks incl. fully masked rows, probability output, several problems
// and thread counts (bit-identical).
#include "layers/multi_head_attention.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/threading.h"

namespace {

using funasr::layers::AttentionProblem;

struct Data {
  int64_t tq, tk;
  std::vector<float> q, k, v;
  std::vector<uint8_t> mask;
};

Data Make(int64_t tq, int64_t tk, int64_t d, bool masked, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> nd;
  Data x{tq, tk, {}, {}, {}, {}};
  x.q.resize(tq * d);
  x.k.resize(tk * d);
  x.v.resize(tk * d);
  for (auto* vec : {&x.q, &x.k, &x.v}) for (float& f : *vec) f = nd(rng);
  if (masked) {
    x.mask.resize(tq * tk);
    for (int64_t i = 0; i < tq; ++i) {
      for (int64_t j = 0; j < tk; ++j) x.mask[i * tk + j] = (i == 3) ? 0 : (j <= i + 5);
    }
  }
  return x;
}

// out [tq, d], probs [heads, tq, tk]
void Reference(const Data& x, int64_t heads, int64_t dk, float scale, std::vector<double>& out,
               std::vector<double>& probs) {
  const int64_t d = heads * dk;
  out.assign(x.tq * d, 0.0);
  probs.assign(heads * x.tq * x.tk, 0.0);
  for (int64_t h = 0; h < heads; ++h) {
    for (int64_t i = 0; i < x.tq; ++i) {
      std::vector<double> s(x.tk);
      double mx = -INFINITY;
      for (int64_t j = 0; j < x.tk; ++j) {
        double acc = 0;
        for (int64_t c = 0; c < dk; ++c) acc += double(x.q[i * d + h * dk + c]) * x.k[j * d + h * dk + c];
        s[j] = acc * scale;
        if (x.mask.empty() || x.mask[i * x.tk + j]) mx = std::max(mx, s[j]);
      }
      double sum = 0;
      for (int64_t j = 0; j < x.tk; ++j) {
        const bool on = x.mask.empty() || x.mask[i * x.tk + j];
        s[j] = on ? std::exp(s[j] - mx) : 0.0;
        sum += s[j];
      }
      for (int64_t j = 0; j < x.tk; ++j) {
        const double p = sum > 0 ? s[j] / sum : 0.0;
        probs[(h * x.tq + i) * x.tk + j] = p;
        for (int64_t c = 0; c < dk; ++c) out[i * d + h * dk + c] += p * x.v[j * d + h * dk + c];
      }
    }
  }
}

TEST(MultiHeadAttention, MatchesReferenceAcrossRowBlocks) {
  const int64_t heads = 4, dk = 16, d = heads * dk;
  const float scale = 0.25f;
  // Two problems in one call: a long masked self-attention (crosses the 512-row block) and
  // a short cross-attention.
  const Data a = Make(700, 700, d, /*masked=*/true, 1);
  const Data b = Make(37, 129, d, /*masked=*/false, 2);
  std::vector<std::vector<float>> outs, probs_a;
  for (int threads : {1, 2, 1, 2}) {
    funasr::ScopedNumThreads nt(threads);
    funasr::layers::Workspace ws;
    // Output buffers 64-byte aligned like the model's workspace: the row kernels' rounding
    // may depend on a row's address alignment (Eigen reductions peel to alignment).
    funasr::layers::Workspace buffers;
    float* out_a = buffers.Floats(a.tq * d);
    float* out_b = buffers.Floats(b.tq * d);
    float* pa = buffers.Floats(heads * a.tq * a.tk);
    AttentionProblem pa_{a.q.data(), d, a.tq, a.k.data(), d, a.v.data(), d, a.tk,
                         a.mask.data(), out_a, d, pa};
    AttentionProblem pb_{b.q.data(), d, b.tq, b.k.data(), d, b.v.data(), d, b.tk,
                         nullptr, out_b, d, nullptr};
    funasr::layers::MultiHeadAttention({pa_, pb_}, heads, dk, scale, ws);
    std::vector<float> o(out_a, out_a + a.tq * d);
    o.insert(o.end(), out_b, out_b + b.tq * d);
    outs.push_back(o);
    probs_a.emplace_back(pa, pa + heads * a.tq * a.tk);
  }
  for (size_t i = 1; i < outs.size(); ++i) {
    EXPECT_EQ(outs[i], outs[0]) << "thread count changed the result";
    EXPECT_EQ(probs_a[i], probs_a[0]);
  }
  std::vector<double> ref_a, ref_pa, ref_b, ref_pb;
  Reference(a, heads, dk, scale, ref_a, ref_pa);
  Reference(b, heads, dk, scale, ref_b, ref_pb);
  double err = 0, perr = 0;
  for (size_t i = 0; i < ref_a.size(); ++i) err = std::max(err, std::fabs(outs[0][i] - ref_a[i]));
  for (size_t i = 0; i < ref_b.size(); ++i) {
    err = std::max(err, std::fabs(outs[0][ref_a.size() + i] - ref_b[i]));
  }
  for (size_t i = 0; i < ref_pa.size(); ++i) perr = std::max(perr, std::fabs(probs_a[0][i] - ref_pa[i]));
  std::printf("max abs err: out %.3g, probs %.3g\n", err, perr);
  EXPECT_LT(err, 1e-4);
  EXPECT_LT(perr, 1e-5);
  // Row 3 is fully masked: zero probabilities and output, no NaN.
  for (int64_t c = 0; c < d; ++c) EXPECT_EQ(outs[0][3 * d + c], 0.f);
}

}  // namespace
