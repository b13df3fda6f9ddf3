#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

#include "core/threading.h"
#include "kernels/elementwise.h"
#include "kernels/linear.h"
#include "kernels/weight_arena.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using funasr_test::MaxScaledError;
using funasr_test::RandomVector;

LinearWeights MakeWeights(int64_t out, int64_t in, bool with_bias, uint32_t seed) {
  LinearWeights w;
  w.weight = Tensor::FromVector({out, in}, RandomVector(out * in, seed, -0.1f, 0.1f));
  if (with_bias) w.bias = Tensor::FromVector({out}, RandomVector(out, seed + 1));
  return w;
}

// y = x Wᵀ + b in double, W given as f32 values.
std::vector<double> NaiveLinear(const std::vector<float>& x, int64_t m, const float* w,
                                const float* bias, int64_t out, int64_t in) {
  std::vector<double> y(size_t(m * out));
  for (int64_t r = 0; r < m; ++r)
    for (int64_t o = 0; o < out; ++o) {
      double acc = bias ? bias[o] : 0.0;
      for (int64_t i = 0; i < in; ++i) acc += double(x[r * in + i]) * w[o * in + i];
      y[r * out + o] = acc;
    }
  return y;
}

struct Dims {
  int64_t m, out, in;
  bool bias;
};
const Dims kDims[] = {{0, 5, 7, true},   {1, 1, 1, true},     {1, 513, 77, false},
                      {3, 2, 9, true},   {37, 301, 129, true}, {300, 512, 512, true},
                      {5, 8404, 64, true}, {64, 7, 1023, false}, {2, 3, 0, true}};

TEST(Linear, F32MatchesNaive) {
  for (const Dims& d : kDims) {
    LinearWeights w = MakeWeights(d.out, d.in, d.bias, 10);
    auto x = RandomVector(d.m * d.in, 11);
    auto want = NaiveLinear(x, d.m, w.weight.data<float>(),
                            d.bias ? w.bias.data<float>() : nullptr, d.out, d.in);
    for (bool prepared : {false, true}) {
      if (prepared) PrepareLinear(w);
      std::vector<float> y(size_t(d.m * d.out), NAN);
      Linear(x.data(), d.m, w, y.data());
      const double err = MaxScaledError(y, want);
      std::printf("linear f32 m=%ld out=%ld in=%ld prepared=%d max err %.3g\n", (long)d.m,
                  (long)d.out, (long)d.in, prepared, err);
      EXPECT_LT(err, 1e-5);
    }
  }
}

// A prepared f32 layer holds its weights once: the packed copy replaces the plain tensor
// (so a model.pt storage or a mapped page it came from is no longer referenced), and the
// one-row path reads the packed chunks.
TEST(Linear, F32PreparedKeepsOneCopyOfTheWeights) {
  for (auto [out, in] : {std::pair{2048, 512}, std::pair{8404, 512}, std::pair{300, 77}}) {
    LinearWeights w = MakeWeights(out, in, true, 40);
    const Tensor plain = w.weight;
    const size_t before = detail::AllocatedWeightBytes();
    PrepareLinear(w);
    EXPECT_FALSE(w.weight.defined()) << out << "x" << in;
    EXPECT_EQ(w.out_features(), out);
    EXPECT_EQ(w.in_features(), in);
    EXPECT_FALSE(w.quantized());
    EXPECT_LT(detail::AllocatedWeightBytes() - before, size_t(out * in) * 4 * 5 / 4);
    EXPECT_THROW(QuantizeLinearInt8(w), Error);
    for (int64_t m : {1, 2, 17}) {
      const auto x = RandomVector(m * in, 41);
      const auto want = NaiveLinear(x, m, plain.data<float>(), w.bias.data<float>(), out, in);
      std::vector<float> y(size_t(m * out));
      Linear(x.data(), m, w, y.data());
      EXPECT_LT(MaxScaledError(y, want), 1e-5) << m << "x" << out << "x" << in;
      // The skip connection read from y itself, on both thread counts.
      for (int threads : {1, 2}) {
        ScopedNumThreads n(threads);
        std::vector<float> z(size_t(m * out), 0.5f);
        LinearEpilogue e;
        e.relu = true;
        e.residual = z.data();
        Linear(x.data(), m, w, z.data(), e);
        for (size_t i = 0; i < z.size(); ++i) {
          ASSERT_EQ(z[i], 0.5f + std::max(y[i], 0.f)) << m << " threads " << threads;
        }
      }
    }
  }
}

// The same for int8: the AMX packing replaces the plain int8 weights. A row count that
// needs another packing (oneDNN's VNNI kernel for a few rows of a narrow layer) gets it
// rebuilt from the first one: its rows equal those of a 64-row call bit for bit (integer
// sums), and the unprepared layer's up to the rounding of its separate multiply and add.
TEST(Linear, Int8PreparedKeepsOneCopyAndRepacksFromIt) {
  for (auto [out, in] : {std::pair{2048, 512}, std::pair{7, 77}, std::pair{300, 77}}) {
    const LinearWeights plain = QuantizeLinearInt8(MakeWeights(out, in, true, 50));
    LinearWeights q = plain;
    const size_t before = detail::AllocatedWeightBytes();
    PrepareLinear(q);
    EXPECT_FALSE(q.weight.defined()) << out << "x" << in;
    EXPECT_TRUE(q.quantized());
    EXPECT_EQ(q.out_features(), out);
    EXPECT_EQ(q.in_features(), in);
    if (in % 64 == 0) {
      EXPECT_LT(detail::AllocatedWeightBytes() - before, size_t(out * in) * 5 / 4);
    }
    EXPECT_THROW(QuantizeLinearInt8(q), Error);
    constexpr int64_t kRows = 64;
    const auto x = RandomVector(kRows * in, 51);
    std::vector<float> batch(size_t(kRows * out)), loose(size_t(kRows * out));
    Linear(x.data(), kRows, q, batch.data());
    Linear(x.data(), kRows, plain, loose.data());
    EXPECT_LT(MaxScaledError(batch, std::vector<double>(loose.begin(), loose.end())), 1e-5);
    for (int threads : {1, 2}) {
      ScopedNumThreads n(threads);
      for (int64_t m : {1, 2, 3, 5, 17, 40}) {
        std::vector<float> got(size_t(m * out));
        Linear(x.data(), m, q, got.data());
        EXPECT_EQ(0, std::memcmp(batch.data(), got.data(), got.size() * sizeof(float)))
            << out << "x" << in << " m=" << m << " threads " << threads;
      }
    }
  }
}

TEST(Linear, QuantizeIsSymmetricPerChannel) {
  LinearWeights w = MakeWeights(9, 33, true, 20);
  LinearWeights q = QuantizeLinearInt8(w);
  ASSERT_TRUE(q.quantized());
  EXPECT_EQ(q.scales.shape(), (Shape{9}));
  for (int64_t o = 0; o < 9; ++o) {
    float amax = 0;
    for (int64_t i = 0; i < 33; ++i) amax = std::max(amax, std::fabs(w.weight.data<float>()[o * 33 + i]));
    EXPECT_FLOAT_EQ(q.scales.data<float>()[o], amax / 127.f);
    for (int64_t i = 0; i < 33; ++i) {
      const float deq = q.scales.data<float>()[o] * q.weight.data<int8_t>()[o * 33 + i];
      EXPECT_LE(std::fabs(deq - w.weight.data<float>()[o * 33 + i]), 0.5f * amax / 127.f + 1e-7f);
    }
  }
  // An all-zero row must not divide by zero.
  LinearWeights z;
  z.weight = Tensor::Zeros(DType::kF32, {2, 4});
  LinearWeights zq = QuantizeLinearInt8(z);
  std::vector<float> x = {1, 2, 3, 4}, y(2, NAN);
  Linear(x.data(), 1, zq, y.data());
  EXPECT_EQ(y[0], 0.f);
  EXPECT_EQ(y[1], 0.f);
}

// int8 Linear: close to the exact product of the quantised operands, and its error vs the
// f32 layer is small relative to the output magnitude (reported).
TEST(Linear, Int8MatchesQuantisedReferenceAndIsCloseToF32) {
  for (const Dims& d : kDims) {
    LinearWeights w = MakeWeights(d.out, d.in, d.bias, 30);
    LinearWeights q = QuantizeLinearInt8(w);
    auto x = RandomVector(d.m * d.in, 31);
    // Reference: dequantised weights, activations quantised per row as the kernel does.
    std::vector<float> wdq(size_t(d.out * d.in)), xdq(x.size());
    for (int64_t o = 0; o < d.out; ++o)
      for (int64_t i = 0; i < d.in; ++i)
        wdq[o * d.in + i] = q.scales.data<float>()[o] * q.weight.data<int8_t>()[o * d.in + i];
    for (int64_t r = 0; r < d.m; ++r) {
      float amax = 0;
      for (int64_t i = 0; i < d.in; ++i) amax = std::max(amax, std::fabs(x[r * d.in + i]));
      const float s = amax > 0 ? amax / 127.f : 1.f;
      for (int64_t i = 0; i < d.in; ++i) xdq[r * d.in + i] = s * std::nearbyint(x[r * d.in + i] * (1.f / s));
    }
    const float* bias = d.bias ? w.bias.data<float>() : nullptr;
    auto want_q = NaiveLinear(xdq, d.m, wdq.data(), bias, d.out, d.in);
    auto want_f = NaiveLinear(x, d.m, w.weight.data<float>(), bias, d.out, d.in);
    for (bool prepared : {false, true}) {
      if (prepared) PrepareLinear(q);
      std::vector<float> y(size_t(d.m * d.out), NAN);
      Linear(x.data(), d.m, q, y.data());
      // Quantised reference: the kernel may round an activation differently at an exact tie
      // (x/s with a .5 fraction); allow a few quantisation steps of slack.
      const double err_q = MaxScaledError(y, want_q);
      double num = 0, den = 0;
      for (size_t i = 0; i < y.size(); ++i) {
        num = std::max(num, std::fabs(y[i] - want_f[i]));
        den = std::max(den, std::fabs(want_f[i] - (bias ? bias[i % d.out] : 0.0)));
      }
      const double rel = den > 0 ? num / den : num;
      std::printf("linear int8 m=%ld out=%ld in=%ld prepared=%d err vs quantised ref %.3g, "
                  "max err vs f32 relative to max |x W^T| %.3g\n",
                  (long)d.m, (long)d.out, (long)d.in, prepared, err_q, rel);
      EXPECT_LT(err_q, 1e-4);
      EXPECT_LT(rel, 0.03);
    }
  }
}

TEST(Linear, DeterministicAcrossThreadCounts) {
  for (bool quant : {false, true}) {
    for (auto [m, out, in] : {std::tuple{300, 2048, 512}, std::tuple{1, 512, 512},
                              std::tuple{30, 8404, 512}, std::tuple{13, 333, 77},
                              std::tuple{111, 512, 2048}}) {
      LinearWeights w = MakeWeights(out, in, true, 40);
      if (quant) w = QuantizeLinearInt8(w);
      PrepareLinear(w);
      auto x = RandomVector(int64_t(m) * in, 41);
      std::vector<float> y1(size_t(m) * out), y2(size_t(m) * out);
      {
        ScopedNumThreads one(1);
        Linear(x.data(), m, w, y1.data());
      }
      // int8 splits rows between threads (3 threads: uneven blocks), f32 splits columns.
      for (int threads : {2, 3}) {
        {
          ScopedNumThreads scoped(threads);
          Linear(x.data(), m, w, y2.data());
        }
        EXPECT_EQ(0, std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)))
            << "quant=" << quant << " " << m << "x" << out << "x" << in << " threads "
            << threads;
      }
    }
  }
}

// One prepared layer shared by concurrent callers with different row counts and thread
// settings: every result equals the serial one (no shared scratch, thread-safe cache).
TEST(Linear, ConcurrentCallsOnSharedWeights) {
  for (bool quant : {false, true}) {
    LinearWeights w = MakeWeights(600, 256, true, 60);
    if (quant) w = QuantizeLinearInt8(w);
    PrepareLinear(w);
    const int64_t rows[] = {1, 7, 64, 300, 33, 2};
    std::vector<std::vector<float>> xs, want;
    for (int64_t m : rows) {
      xs.push_back(RandomVector(m * 256, 61 + uint32_t(m)));
      want.emplace_back(size_t(m * 600));
      ScopedNumThreads one(1);
      Linear(xs.back().data(), m, w, want.back().data());
    }
    std::vector<int> mismatches(6, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        ScopedNumThreads scoped(1 + t % 2);
        std::vector<float> y(want[t].size());
        for (int rep = 0; rep < 20; ++rep) {
          Linear(xs[t].data(), rows[t], w, y.data());
          if (std::memcmp(y.data(), want[t].data(), y.size() * sizeof(float)) != 0) ++mismatches[t];
        }
      });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < 6; ++t) EXPECT_EQ(mismatches[t], 0) << "quant=" << quant << " m=" << rows[t];
  }
}

TEST(Linear, RejectsMismatchedScales) {
  LinearWeights q = QuantizeLinearInt8(MakeWeights(4, 3, false, 50));
  q.scales = Tensor::Zeros(DType::kF32, {3});
  std::vector<float> x(3), y(4);
  EXPECT_THROW(Linear(x.data(), 1, q, y.data()), Error);
}


// Multi-threaded Linear may hand each thread a block of rows. That is only sound if a block
// of rows computed on its own equals the same rows of one call over all rows, bit for bit:
// checked for the Paraformer layer shapes and many row counts and splits (f32 and int8).
TEST(Linear, RowBlocksEqualOneCall) {
  for (bool quant : {false, true}) {
    for (auto [out, in] : {std::pair{1536, 512}, std::pair{512, 512}, std::pair{2048, 512},
                           std::pair{512, 2048}, std::pair{1024, 512}, std::pair{512, 560}}) {
      LinearWeights w = MakeWeights(out, in, true, 70);
      if (quant) w = QuantizeLinearInt8(w);
      PrepareLinear(w);
      for (int64_t m : {32, 37, 64, 111, 200, 333, 1000}) {
        auto x = RandomVector(m * in, 71);
        std::vector<float> whole(size_t(m) * out), parts(size_t(m) * out);
        ScopedNumThreads one(1);
        Linear(x.data(), m, w, whole.data());
        for (int64_t blocks : {2, 3}) {
          for (int64_t b = 0; b < blocks; ++b) {
            const int64_t r0 = m * b / blocks, r1 = m * (b + 1) / blocks;
            Linear(x.data() + r0 * in, r1 - r0, w, parts.data() + r0 * out);
          }
          EXPECT_EQ(0, std::memcmp(whole.data(), parts.data(), whole.size() * sizeof(float)))
              << "quant=" << quant << " " << m << "x" << out << "x" << in << " in " << blocks
              << " blocks";
        }
      }
    }
  }
}

// An int8 row computed alone is exactly that row of a batch, and computing it packs no
// further copy of the weights (oneDNN's one-row VNNI kernel would want its own packing:
// a third copy of every weight of the model).
// The promise schedules rely on to group rows into calls either way (SanmEncoder and the
// decoder's row blocks): when LinearRowBlocksExact says so, the blocks' rows are the rows
// of one call bit for bit.
TEST(Linear, RowBlocksExactMeansBlocksEqualOneCall) {
  LinearWeights plain = MakeWeights(300, 64, true, 41);
  EXPECT_FALSE(LinearRowBlocksExact(plain, 100, 2)) << "unprepared f32 may take another sum";
  LinearWeights q = QuantizeLinearInt8(plain);
  EXPECT_TRUE(LinearRowBlocksExact(q, 100, 2));
  LinearWeights f32 = plain;
  PrepareLinear(f32);
  PrepareLinear(q);
  EXPECT_FALSE(LinearRowBlocksExact(f32, 3, 2)) << "one-row blocks run the vector product";
  for (const LinearWeights* w : {&f32, &q}) {
    for (int64_t m : {33, 100, 333}) {
      for (int64_t blocks : {2, 3}) {
        if (!LinearRowBlocksExact(*w, m, blocks)) {
          ADD_FAILURE() << "not exact: " << m << " rows, " << blocks << " blocks";
          continue;
        }
        const std::vector<float> x = RandomVector(m * 64, 42);
        std::vector<float> whole(static_cast<size_t>(m * 300)), parts(whole.size());
        ScopedNumThreads one(1);
        Linear(x.data(), m, *w, whole.data());
        for (int64_t b = 0; b < blocks; ++b) {
          const int64_t r0 = m * b / blocks, r1 = m * (b + 1) / blocks;
          Linear(x.data() + r0 * 64, r1 - r0, *w, parts.data() + r0 * 300);
        }
        EXPECT_EQ(whole, parts) << m << " rows, " << blocks << " blocks";
      }
    }
  }
}

TEST(Linear, Int8SingleRowEqualsItsRowInABatchWithoutRepacking) {
  for (auto [out, in] : {std::pair{2048, 512}, std::pair{512, 2048}, std::pair{8404, 512},
                         std::pair{333, 77}}) {
    LinearWeights q = QuantizeLinearInt8(MakeWeights(out, in, true, 90));
    const size_t before_prepare = detail::AllocatedWeightBytes();
    PrepareLinear(q);
    if (in % 64 == 0) {  // paraformer-large's shapes: one packing serves every row count
      EXPECT_LT(detail::AllocatedWeightBytes() - before_prepare, size_t(out * in) * 5 / 4)
          << out << "x" << in << ": more than one packed copy";
    }
    constexpr int64_t kRows = 37;
    const auto x = RandomVector(kRows * in, 91);
    std::vector<float> batch(size_t(kRows) * out);
    {
      ScopedNumThreads one(1);
      Linear(x.data(), kRows, q, batch.data());
    }
    const size_t packed_bytes = detail::AllocatedWeightBytes();
    for (int threads : {1, 2}) {
      ScopedNumThreads scoped(threads);
      for (int64_t r : {int64_t{0}, int64_t{17}, kRows - 1}) {
        std::vector<float> row(size_t(out), std::nanf(""));
        Linear(x.data() + r * in, 1, q, row.data());
        EXPECT_EQ(0, std::memcmp(row.data(), batch.data() + r * out, out * sizeof(float)))
            << out << "x" << in << " row " << r << " threads " << threads;
      }
    }
    EXPECT_EQ(detail::AllocatedWeightBytes(), packed_bytes) << out << "x" << in;
  }
}

// int8 hands oneDNN a row count rounded up to a multiple of 8 (some counts run 1.5-4x
// slower in oneDNN 2.6's AMX kernel): the extra rows are zero input whose outputs are
// dropped. Every row still equals its row of a larger batch bit for bit, and nothing is
// written past the m output rows.
TEST(Linear, Int8RoundedUpRowCountsKeepEveryRowExact) {
  constexpr int64_t kBatch = 320;
  for (auto [out, in] : {std::pair{512, 512}, std::pair{300, 77}}) {
    LinearWeights q = QuantizeLinearInt8(MakeWeights(out, in, true, 95));
    PrepareLinear(q);
    const auto x = RandomVector(kBatch * in, 96);
    std::vector<float> batch(size_t(kBatch) * out);
    {
      ScopedNumThreads one(1);
      Linear(x.data(), kBatch, q, batch.data());
    }
    for (int threads : {1, 2}) {
      ScopedNumThreads scoped(threads);
      for (int64_t m : {17, 53, 59, 117, 181, 315}) {
        std::vector<float> y(size_t(m + 8) * out, -7.f);
        Linear(x.data(), m, q, y.data());
        EXPECT_EQ(0, std::memcmp(y.data(), batch.data(), size_t(m) * out * sizeof(float)))
            << out << "x" << in << " m " << m << " threads " << threads;
        EXPECT_TRUE(std::all_of(y.begin() + m * out, y.end(), [](float v) { return v == -7.f; }))
            << out << "x" << in << " m " << m << ": wrote past the output rows";
      }
    }
  }
}

// The epilogue gives exactly what the separate steps give (Linear, then Relu, then
// Add(residual, y), then Add(outer_residual, y)), on every path: f32 and int8, prepared or
// plain, one row (GEMV), row blocks and column chunks, 1-3 threads, and residuals that are
// the output itself.
TEST(Linear, EpilogueEqualsSeparateSteps) {
  for (bool quant : {false, true}) {
    for (bool prepare : {true, false}) {
      for (auto [m, out, in] : {std::tuple{333, 512, 2048}, std::tuple{111, 2048, 512},
                                std::tuple{1, 512, 512}, std::tuple{20, 8404, 64},
                                std::tuple{13, 333, 77}}) {
        LinearWeights w = MakeWeights(out, in, true, 80);
        if (quant) w = QuantizeLinearInt8(w);
        if (prepare) PrepareLinear(w);
        const auto x = RandomVector(int64_t(m) * in, 81);
        const auto residual = RandomVector(int64_t(m) * out, 82);
        const auto outer = RandomVector(int64_t(m) * out, 83);
        const size_t n = size_t(m) * out;
        // residual / outer: 0 none, 1 a separate buffer, 2 the output itself (which holds
        // that buffer's values on entry; at most one of the two aliases the output).
        for (bool relu : {false, true}) {
          for (int residual_kind : {0, 1, 2}) {
            for (int outer_kind : {0, 1, 2}) {
              if (residual_kind == 2 && outer_kind == 2) continue;
              // Separate steps on one thread.
              std::vector<float> expected(n);
              {
                ScopedNumThreads one(1);
                Linear(x.data(), m, w, expected.data());
              }
              if (relu) Relu(expected.data(), int64_t(n), expected.data());
              if (residual_kind != 0) {
                Add(residual.data(), expected.data(), int64_t(n), expected.data());
              }
              if (outer_kind != 0) Add(outer.data(), expected.data(), int64_t(n), expected.data());
              for (int threads : {1, 2, 3}) {
                std::vector<float> y(n, std::nanf(""));
                LinearEpilogue e;
                e.relu = relu;
                if (residual_kind == 1) e.residual = residual.data();
                if (outer_kind == 1) e.outer_residual = outer.data();
                if (residual_kind == 2) {
                  y = residual;
                  e.residual = y.data();
                }
                if (outer_kind == 2) {
                  y = outer;
                  e.outer_residual = y.data();
                }
                {
                  ScopedNumThreads scoped(threads);
                  Linear(x.data(), m, w, y.data(), e);
                }
                EXPECT_EQ(0, std::memcmp(expected.data(), y.data(), n * sizeof(float)))
                    << "quant=" << quant << " prepared=" << prepare << " " << m << "x" << out
                    << "x" << in << " relu=" << relu << " residual=" << residual_kind
                    << " outer=" << outer_kind << " threads=" << threads;
              }
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace funasr::kernels
