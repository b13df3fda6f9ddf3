#include <gtest/gtest.h>

#include "kernels/embedding.h"
#include "kernels_test_util.h"

namespace funasr::kernels {
namespace {

using funasr_test::RandomVector;

TEST(Embedding, F32AndF16Lookup) {
  const int64_t v = 13, d = 7;
  auto values = RandomVector(v * d, 1);
  Tensor f32 = Tensor::FromVector({v, d}, values);
  std::vector<uint16_t> half(values.size());
  for (size_t i = 0; i < values.size(); ++i) half[i] = FloatToHalf(values[i]);
  Tensor f16 = Tensor::Copy(DType::kF16, {v, d}, half.data());
  std::vector<int64_t> ids = {0, 12, 5, 5, 1};
  for (int64_t n : {0, 1, 5}) {
    std::vector<float> a(size_t(n * d), NAN), b(size_t(n * d), NAN);
    Embedding(f32, ids.data(), n, a.data());
    Embedding(f16, ids.data(), n, b.data());
    for (int64_t r = 0; r < n; ++r)
      for (int64_t c = 0; c < d; ++c) {
        EXPECT_EQ(a[r * d + c], values[ids[r] * d + c]);
        EXPECT_EQ(b[r * d + c], HalfToFloat(half[ids[r] * d + c]));
        EXPECT_NEAR(b[r * d + c], values[ids[r] * d + c], 1e-3);
      }
  }
}

TEST(Embedding, RejectsOutOfRangeIds) {
  Tensor table = Tensor::Zeros(DType::kF32, {4, 2});
  std::vector<float> out(2);
  for (int64_t bad : {int64_t{-1}, int64_t{4}, int64_t{1} << 40}) {
    try {
      Embedding(table, &bad, 1, out.data());
      FAIL() << "no error for id " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidArgument);
      EXPECT_NE(std::string(e.what()).find("vocabulary"), std::string::npos);
    }
  }
  Tensor ints = Tensor::Zeros(DType::kI32, {4, 2});
  int64_t id = 0;
  EXPECT_THROW(Embedding(ints, &id, 1, out.data()), Error);
}

TEST(SequenceMask, Basic) {
  EXPECT_TRUE(SequenceMask({}).empty());
  EXPECT_EQ(SequenceMask({0, 0}), (std::vector<uint8_t>{}));
  EXPECT_EQ(SequenceMask({2, 0, 3}),
            (std::vector<uint8_t>{1, 1, 0, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(SequenceMask({1, 3}, 4), (std::vector<uint8_t>{1, 0, 0, 0, 1, 1, 1, 0}));
  // Lengths beyond max_len are clipped.
  EXPECT_EQ(SequenceMask({5}, 2), (std::vector<uint8_t>{1, 1}));
  EXPECT_EQ(SequenceMask({1}, 0), (std::vector<uint8_t>{}));
}

}  // namespace
}  // namespace funasr::kernels
