#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/tensor.h"

namespace funasr {
namespace {

TEST(Tensor, ZerosOwnsAlignedStorage) {
  Tensor t = Tensor::Zeros(DType::kF32, {3, 5});
  EXPECT_EQ(t.numel(), 15);
  EXPECT_EQ(t.nbytes(), 60u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.raw_data()) % 64, 0u);
  for (int i = 0; i < 15; ++i) EXPECT_EQ(t.data<float>()[i], 0.f);
}

TEST(Tensor, BorrowIsAViewKeptAlive) {
  auto owner = std::make_shared<std::vector<float>>(std::vector<float>{1, 2, 3, 4, 5, 6});
  Tensor t = Tensor::Borrow(DType::kF32, {2, 3}, owner->data(), owner);
  std::weak_ptr<std::vector<float>> weak = owner;
  owner.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(t.data<float>()[4], 5.f);
  Tensor row = t.Slice0(1, 2);
  EXPECT_EQ(row.shape(), (Shape{1, 3}));
  EXPECT_EQ(row.data<float>()[0], 4.f);
  t = Tensor();
  row = Tensor();
  EXPECT_TRUE(weak.expired());
}

TEST(Tensor, ReshapeChecksElementCount) {
  Tensor t = Tensor::Zeros(DType::kI8, {4, 6});
  EXPECT_EQ(t.Reshape({2, 12}).dim(-1), 12);
  EXPECT_THROW(t.Reshape({5, 5}), Error);
}

TEST(Tensor, WrongTypeAccessThrows) {
  Tensor t = Tensor::Zeros(DType::kI8, {2});
  EXPECT_THROW(t.data<float>(), Error);
}

TEST(Tensor, ExpectShapeNamesTheTensor) {
  Tensor t = Tensor::Zeros(DType::kF32, {2, 3});
  try {
    t.ExpectShape({3, 2}, "encoder.weight");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormatError);
    EXPECT_NE(std::string(e.what()).find("encoder.weight"), std::string::npos);
  }
}

TEST(Tensor, HalfRoundTrip) {
  // Every finite half value converts to float and back exactly.
  for (uint32_t h = 0; h < 0x10000; ++h) {
    uint16_t x = static_cast<uint16_t>(h);
    if ((x & 0x7c00) == 0x7c00) continue;  // inf / nan
    EXPECT_EQ(FloatToHalf(HalfToFloat(x)), x) << std::hex << h;
  }
  EXPECT_EQ(HalfToFloat(0x3c00), 1.0f);
  EXPECT_EQ(HalfToFloat(0xc000), -2.0f);
  EXPECT_EQ(FloatToHalf(65504.f), 0x7bff);
  EXPECT_EQ(FloatToHalf(1e6f), 0x7c00);
  EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(NAN))));
  // Round-to-nearest: the error is at most half an ulp of the half value.
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-100.f, 100.f);
  for (int i = 0; i < 10000; ++i) {
    float f = dist(rng);
    float r = HalfToFloat(FloatToHalf(f));
    EXPECT_LE(std::fabs(r - f), std::fabs(f) * (1.f / 2048.f) + 1e-7f);
  }
}

TEST(Tensor, ToF32ConvertsIntegers) {
  std::vector<int64_t> v{-3, 0, 7};
  Tensor t = Tensor::Copy(DType::kI64, {3}, v.data());
  Tensor f = t.ToF32();
  EXPECT_EQ(f.data<float>()[0], -3.f);
  EXPECT_EQ(f.data<float>()[2], 7.f);
}

}  // namespace
}  // namespace funasr
