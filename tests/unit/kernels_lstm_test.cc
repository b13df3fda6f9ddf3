#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "kernels/lstm.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using funasr_test::RandomVector;

LstmDirectionWeights MakeLstm(int64_t in, int64_t h, bool bias_ih, bool bias_hh, uint32_t seed) {
  LstmDirectionWeights w;
  w.weight_ih = Tensor::FromVector({4 * h, in}, RandomVector(4 * h * in, seed, -0.5f, 0.5f));
  w.weight_hh = Tensor::FromVector({4 * h, h}, RandomVector(4 * h * h, seed + 1, -0.5f, 0.5f));
  if (bias_ih) w.bias_ih = Tensor::FromVector({4 * h}, RandomVector(4 * h, seed + 2));
  if (bias_hh) w.bias_hh = Tensor::FromVector({4 * h}, RandomVector(4 * h, seed + 3));
  return w;
}

double Sig(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// torch.nn.LSTM, one direction, zero initial state, in double precision.
void NaiveLstm(const std::vector<float>& x, int64_t t, int64_t in, const LstmDirectionWeights& w,
               bool reverse, std::vector<double>* y, std::vector<double>* hn,
               std::vector<double>* cn) {
  const int64_t h = w.hidden_size();
  std::vector<double> hs(h, 0.0), cs(h, 0.0), g(4 * h);
  y->assign(size_t(t * h), 0.0);
  const float* wih = w.weight_ih.data<float>();
  const float* whh = w.weight_hh.data<float>();
  for (int64_t s = 0; s < t; ++s) {
    const int64_t ti = reverse ? t - 1 - s : s;
    for (int64_t r = 0; r < 4 * h; ++r) {
      double acc = (w.bias_ih.defined() ? w.bias_ih.data<float>()[r] : 0.0) +
                   (w.bias_hh.defined() ? w.bias_hh.data<float>()[r] : 0.0);
      for (int64_t i = 0; i < in; ++i) acc += double(wih[r * in + i]) * x[ti * in + i];
      for (int64_t j = 0; j < h; ++j) acc += double(whh[r * h + j]) * hs[j];
      g[r] = acc;
    }
    for (int64_t j = 0; j < h; ++j) {
      const double ig = Sig(g[j]), fg = Sig(g[h + j]), gg = std::tanh(g[2 * h + j]),
                   og = Sig(g[3 * h + j]);
      cs[j] = fg * cs[j] + ig * gg;
      hs[j] = og * std::tanh(cs[j]);
      (*y)[ti * h + j] = hs[j];
    }
  }
  *hn = hs;
  *cn = cs;
}

double MaxErr(const float* got, const std::vector<double>& want) {
  double e = 0;
  for (size_t i = 0; i < want.size(); ++i) e = std::max(e, std::fabs(got[i] - want[i]));
  return e;
}

TEST(Lstm, DirectionMatchesNaive) {
  struct Case { int64_t t, in, h; bool bih, bhh; };
  for (Case p : {Case{0, 3, 4, true, true}, Case{1, 1, 1, true, true}, Case{1, 5, 3, false, true},
                 Case{7, 5, 3, true, false}, Case{40, 33, 17, true, true},
                 Case{25, 80, 64, false, false}}) {
    auto w = MakeLstm(p.in, p.h, p.bih, p.bhh, 1);
    auto x = RandomVector(p.t * p.in, 9, -2.f, 2.f);
    for (bool reverse : {false, true}) {
      std::vector<double> want, hn, cn;
      NaiveLstm(x, p.t, p.in, w, reverse, &want, &hn, &cn);
      std::vector<float> y(size_t(p.t * p.h), NAN), h(p.h, NAN), c(p.h, NAN);
      LstmDirection(x.data(), p.t, w, reverse, y.data(), h.data(), c.data());
      const double err = std::max({MaxErr(y.data(), want), MaxErr(h.data(), hn), MaxErr(c.data(), cn)});
      std::printf("lstm T=%ld I=%ld H=%ld reverse=%d max err %.3g\n", (long)p.t, (long)p.in,
                  (long)p.h, reverse, err);
      EXPECT_LT(err, 2e-5);
    }
  }
}

TEST(Lstm, BidirectionalConcatenatesDirections) {
  for (int64_t t : {0, 1, 2, 19}) {
    const int64_t in = 11, h = 6;
    auto fwd = MakeLstm(in, h, true, true, 20);
    auto bwd = MakeLstm(in, h, true, true, 30);
    auto x = RandomVector(t * in, 10);
    std::vector<double> yf, yb, hn, cn;
    NaiveLstm(x, t, in, fwd, false, &yf, &hn, &cn);
    NaiveLstm(x, t, in, bwd, true, &yb, &hn, &cn);
    std::vector<float> y(size_t(t * 2 * h), NAN);
    BiLstm(x.data(), t, fwd, bwd, y.data());
    double err = 0;
    for (int64_t ti = 0; ti < t; ++ti)
      for (int64_t j = 0; j < h; ++j) {
        err = std::max(err, std::fabs(y[ti * 2 * h + j] - yf[ti * h + j]));
        err = std::max(err, std::fabs(y[ti * 2 * h + h + j] - yb[ti * h + j]));
      }
    std::printf("bilstm T=%ld max err %.3g\n", (long)t, err);
    EXPECT_LT(err, 2e-5);
  }
}

TEST(Lstm, RejectsInconsistentWeights) {
  auto w = MakeLstm(3, 4, true, true, 40);
  w.bias_hh = Tensor::FromVector({3}, {1, 2, 3});
  std::vector<float> x(3), y(4);
  EXPECT_THROW(LstmDirection(x.data(), 1, w, false, y.data(), nullptr, nullptr), Error);
}

}  // namespace
}  // namespace funasr::kernels
