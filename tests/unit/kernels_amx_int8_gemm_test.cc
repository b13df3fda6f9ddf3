// The AMX int8 kernel (kernels/amx_int8_gemm.h): exact integer sums on oneDNN's AMX
// packing, and Linear results identical with and without it.
#include <gtest/gtest.h>

#include <dnnl.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "core/threading.h"
#include "kernels/amx_int8_gemm.h"
#include "kernels/linear.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using detail::AmxColumns;
using detail::AmxRows;

std::vector<int8_t> RandomInt8(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> d(-127, 127);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(d(gen));
  return v;
}

// Plain [k, n] int8 (row-major) reordered by oneDNN into "BA16a64b4a".
std::vector<int8_t> PackB(const std::vector<int8_t>& plain, int64_t k, int64_t n) {
  using dnnl::memory;
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  memory::desc packed_md({k, n}, memory::data_type::s8, memory::format_tag::BA16a64b4a);
  std::vector<int8_t> packed(packed_md.get_size() + 64, 99);  // 99: padding must be rewritten
  memory src({{k, n}, memory::data_type::s8, memory::format_tag::ab}, eng,
             const_cast<int8_t*>(plain.data()));
  memory dst(packed_md, eng, packed.data());
  dnnl::reorder(src, dst).execute(strm, src, dst);
  strm.wait();
  return packed;
}

TEST(AmxInt8Gemm, EqualsExactIntegerSums) {
  if (!detail::AmxInt8Available()) GTEST_SKIP() << "no AMX-INT8 on this CPU";
  struct Shape {
    int64_t m, k, n;
  };
  // Row tails of 16, k not a multiple of 64 (560: the first encoder layer) and beyond one
  // 512 slice, column tails inside a panel and inside a 64-block.
  for (const Shape& s : {Shape{17, 64, 32}, Shape{32, 560, 256}, Shape{48, 1024, 200},
                         Shape{111, 512, 256}, Shape{176, 2048, 96}, Shape{5, 128, 4}}) {
    SCOPED_TRACE(testing::Message() << s.m << "x" << s.k << "x" << s.n);
    const std::vector<int8_t> a = RandomInt8(static_cast<size_t>(s.m * s.k), 1);
    const std::vector<int8_t> b = RandomInt8(static_cast<size_t>(s.k * s.n), 2);
    const std::vector<int8_t> packed_b = PackB(b, s.k, s.n);
    const std::vector<int8_t> next = PackB(b, s.k, s.n);
    std::vector<int8_t> packed_a(static_cast<size_t>(detail::AmxPackedABytes(s.m, s.k)));
    detail::AmxPackA(a.data(), s.k, s.m, s.k, packed_a.data());
    const int64_t ldc = AmxColumns(s.n) + 16;  // a wider stride than needed
    std::vector<int32_t> c(static_cast<size_t>(AmxRows(s.m) * ldc), -1);
    const uint64_t calls = detail::AmxInt8GemmCalls();
    detail::AmxInt8Gemm(packed_a.data(), s.m, {packed_b.data(), s.k, s.n}, c.data(), ldc,
                        next.data());
    EXPECT_EQ(detail::AmxInt8GemmCalls(), calls + 1);
    int64_t wrong = 0;
    for (int64_t r = 0; r < s.m; ++r) {
      for (int64_t j = 0; j < AmxColumns(s.n); ++j) {
        int32_t want = 0;
        if (j < s.n) {
          for (int64_t i = 0; i < s.k; ++i) want += int32_t{a[r * s.k + i]} * b[i * s.n + j];
        }
        wrong += c[r * ldc + j] != want;  // columns past n: the zero padding's sums
      }
      for (int64_t j = AmxColumns(s.n); j < ldc; ++j) wrong += c[r * ldc + j] != -1;
    }
    EXPECT_EQ(wrong, 0);
  }
}

// Linear takes the kernel for 17-192 rows of at most 1024 inputs; its results must be those
// of oneDNN's kernel bit for bit, with every epilogue, on one and two threads.
TEST(AmxInt8Gemm, LinearResultsEqualOneDnnKernel) {
  if (!detail::AmxInt8Available()) GTEST_SKIP() << "no AMX-INT8 on this CPU";
  struct Case {
    int64_t m, out, in;
  };
  for (const Case& t : {Case{17, 1536, 512}, Case{111, 512, 560}, Case{176, 2048, 512},
                        Case{100, 212, 1024}, Case{192, 300, 64}}) {
    SCOPED_TRACE(testing::Message() << t.m << " rows " << t.in << "->" << t.out);
    LinearWeights w;
    w.weight = Tensor::FromVector({t.out, t.in},
                                  funasr_test::RandomVector(t.out * t.in, 3, -0.1f, 0.1f));
    w.bias = Tensor::FromVector({t.out}, funasr_test::RandomVector(t.out, 4));
    w = QuantizeLinearInt8(w);
    PrepareLinear(w);
    const std::vector<float> x = funasr_test::RandomVector(t.m * t.in, 5);
    const std::vector<float> residual = funasr_test::RandomVector(t.m * t.out, 6);
    for (int threads : {1, 2}) {
      ScopedNumThreads scoped(threads);
      for (int variant = 0; variant < 2; ++variant) {
        LinearEpilogue e;
        e.relu = variant == 0;
        std::vector<float> with(residual), without(residual);
        if (variant == 1) e.residual = with.data();
        detail::SetAmxInt8GemmEnabled(true);
        const uint64_t calls = detail::AmxInt8GemmCalls();
        Linear(x.data(), t.m, w, with.data(), e);
        EXPECT_GT(detail::AmxInt8GemmCalls(), calls) << "the AMX kernel was not used";
        detail::SetAmxInt8GemmEnabled(false);
        if (variant == 1) e.residual = without.data();
        const uint64_t before = detail::AmxInt8GemmCalls();
        Linear(x.data(), t.m, w, without.data(), e);
        EXPECT_EQ(detail::AmxInt8GemmCalls(), before);
        detail::SetAmxInt8GemmEnabled(true);
        EXPECT_EQ(with, without) << "threads " << threads << " variant " << variant;
      }
    }
  }
}

}  // namespace
}  // namespace funasr::kernels
