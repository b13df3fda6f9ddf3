// Native model files: directory -> native round trips (exact for f32, half-exact for f16,
// within quantisation error for int8), zero-copy mapping, and malformed native files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "common/test_data.h"
#include "core/check.h"
#include "io/mapped_file.h"
#include "io/model_files.h"
#include "io/native_model.h"
#include "io/native_model_writer.h"

namespace funasr::io {
namespace {

const char* kModels[] = {
    "reference/models/paraformer-tiny",       "reference/models/bicif-paraformer-tiny",
    "reference/models/seaco-paraformer-tiny", "reference/models/contextual-paraformer-tiny",
    "reference/models/fsmn-vad",              "reference/models/ct-punc-tiny",
    "reference/models/ct-punc-realtime-tiny", "models/fsmn-vad",
    "models/fsmn-vad-legacy"};

std::string Native(const std::string& rel, NativeDType dtype, const char* tag) {
  std::string dir = funasr_test::TempDir(std::string("io_native_") + tag);
  std::string out = dir + "/model.fnm";
  auto src = ModelFiles::Open(funasr_test::RequireData(rel));
  WriteNativeModel(*src, out, dtype);
  return out;
}

TEST(NativeModel, F32RoundTripIsExactForEveryModel) {
  for (const char* rel : kModels) {
    auto src = ModelFiles::Open(funasr_test::RequireData(rel));
    std::string path = Native(rel, NativeDType::kF32, "f32");
    auto nat = ModelFiles::Open(path);  // dispatches on the magic
    EXPECT_EQ(nat->path(), path);
    EXPECT_EQ(nat->model_class(), src->model_class()) << rel;
    ASSERT_EQ(nat->TensorNames(), src->TensorNames()) << rel;
    for (const auto& name : src->TensorNames()) {
      Tensor a = src->GetTensor(name), b = nat->GetTensor(name);
      ASSERT_EQ(a.dtype(), b.dtype()) << name;
      ASSERT_EQ(a.shape(), b.shape()) << name;
      EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0) << rel << " " << name;
      EXPECT_EQ(reinterpret_cast<uintptr_t>(b.raw_data()) % 64, 0u) << name;
    }
    EXPECT_EQ(nat->tokens(), src->tokens()) << rel;
    EXPECT_EQ(nat->seg_dict(), src->seg_dict()) << rel;
    ASSERT_EQ(nat->cmvn().has_value(), src->cmvn().has_value());
    if (src->cmvn()) {
      EXPECT_EQ(nat->cmvn()->shift, src->cmvn()->shift);
      EXPECT_EQ(nat->cmvn()->scale, src->cmvn()->scale);
    }
    EXPECT_EQ(YAML::Dump(nat->config()), YAML::Dump(src->config())) << rel;
    ConfigReader r(nat->config(), nat->config_path());
    EXPECT_EQ(r.GetString("model", "?").empty(), false);
  }
}

TEST(NativeModel, TensorsBorrowTheMappingWithoutCopies) {
  std::string path = Native("reference/models/paraformer-tiny", NativeDType::kF32, "borrow");
  auto nat = ModelFiles::Open(path);
  auto map = MappedFile::Open(path);  // a second mapping only to learn the file size
  Tensor a = nat->GetTensor("decoder.output_layer.weight");
  Tensor b = nat->GetTensor("decoder.output_layer.weight");
  EXPECT_EQ(a.raw_data(), b.raw_data());  // the same mapped bytes, not a copy per call
  kernels::LinearWeights lin = nat->GetLinear("decoder.output_layer", 8404, 128);
  EXPECT_EQ(lin.weight.raw_data(), a.raw_data());
  // The tensor outlives the ModelFiles: the mapping is kept alive by the tensor.
  nat.reset();
  float sum = 0;
  for (int64_t i = 0; i < a.numel(); ++i) sum += a.data<float>()[i];
  EXPECT_TRUE(std::isfinite(sum));
}

// What a loaded model keeps: every piece of metadata, equal to the source's, and no tensor.
TEST(NativeModel, WithoutWeightsKeepsMetadataOnly) {
  for (const char* rel : kModels) {
    for (const bool native : {false, true}) {
      auto src = native ? ModelFiles::Open(Native(rel, NativeDType::kF32, "meta"))
                        : ModelFiles::Open(funasr_test::RequireData(rel));
      auto meta = src->WithoutWeights();
      EXPECT_EQ(meta->path(), src->path()) << rel;
      EXPECT_EQ(meta->config_path(), src->config_path()) << rel;
      EXPECT_EQ(meta->model_class(), src->model_class()) << rel;
      EXPECT_EQ(YAML::Dump(meta->config()), YAML::Dump(src->config())) << rel;
      EXPECT_EQ(meta->tokens(), src->tokens()) << rel;
      EXPECT_EQ(meta->seg_dict(), src->seg_dict()) << rel;
      ASSERT_EQ(meta->cmvn().has_value(), src->cmvn().has_value()) << rel;
      if (src->cmvn()) EXPECT_EQ(meta->cmvn()->scale, src->cmvn()->scale) << rel;
      EXPECT_TRUE(meta->TensorNames().empty()) << rel;
      const std::string any = src->TensorNames().at(0);
      EXPECT_FALSE(meta->HasTensor(any)) << rel;
      EXPECT_THROW(meta->GetTensor(any), Error) << rel;
      meta->DropResidentWeightPages();  // nothing mapped: a no-op
    }
  }
}

TEST(NativeModel, DropResidentWeightPagesKeepsTheBytes) {
  std::string path = Native("reference/models/paraformer-tiny", NativeDType::kF32, "drop");
  auto nat = ModelFiles::Open(path);
  Tensor w = nat->GetTensor("decoder.output_layer.weight");
  std::vector<float> before(w.data<float>(), w.data<float>() + w.numel());  // touches the pages
  EXPECT_GE(funasr_test::MappedResidentKb(path), static_cast<int64_t>(w.nbytes() / 1024) - 8);
  nat->DropResidentWeightPages();
  EXPECT_LE(funasr_test::MappedResidentKb(path), 64);
  // Read back from the file, unchanged.
  EXPECT_EQ(std::memcmp(before.data(), w.raw_data(), w.nbytes()), 0);
  // One tensor's pages: the others stay.
  Tensor enc = nat->GetTensor("encoder.encoders.0.feed_forward.w_1.weight");
  float sum = 0;
  for (int64_t i = 0; i < enc.numel(); ++i) sum += enc.data<float>()[i];
  EXPECT_TRUE(std::isfinite(sum));
  const int64_t both = funasr_test::MappedResidentKb(path);
  nat->DropResidentTensorPages("decoder.output_layer.weight");
  const int64_t one = funasr_test::MappedResidentKb(path);
  EXPECT_LE(one, both - static_cast<int64_t>(w.nbytes() / 1024) + 8) << both;
  EXPECT_GE(one, static_cast<int64_t>(enc.nbytes() / 1024) - 8) << both;
  EXPECT_EQ(std::memcmp(before.data(), w.raw_data(), w.nbytes()), 0);
  nat->DropResidentTensorPages("no.such.tensor");  // a no-op
}

TEST(NativeModel, F16StoresHalfOfEveryFloat) {
  const char* rel = "reference/models/bicif-paraformer-tiny";
  auto src = ModelFiles::Open(funasr_test::RequireData(rel));
  auto nat = ModelFiles::Open(Native(rel, NativeDType::kF16, "f16"));
  float max_err = 0;
  for (const auto& name : src->TensorNames()) {
    Tensor a = src->GetF32(name);
    ASSERT_EQ(nat->GetTensor(name).dtype(), DType::kF16) << name;
    Tensor b = nat->GetF32(name, a.shape());
    for (int64_t i = 0; i < a.numel(); ++i) {
      ASSERT_EQ(b.data<float>()[i], HalfToFloat(FloatToHalf(a.data<float>()[i]))) << name;
      max_err = std::max(max_err, std::fabs(a.data<float>()[i] - b.data<float>()[i]));
    }
  }
  std::printf("f16 round trip: max abs error %g (exactly the f16 rounding)\n", max_err);
}

TEST(NativeModel, Int8QuantisesOnlyLinearWeights) {
  const char* rel = "reference/models/seaco-paraformer-tiny";
  auto src = ModelFiles::Open(funasr_test::RequireData(rel));
  auto nat = ModelFiles::Open(Native(rel, NativeDType::kInt8, "int8"));
  int quantised = 0;
  float max_rel = 0;
  for (const auto& name : src->TensorNames()) {
    Tensor a = src->GetF32(name);
    Tensor q, scales;
    bool is_q = nat->GetInt8(name, &q, &scales);
    EXPECT_EQ(is_q, QuantizeAsLinearWeight(name, a.shape())) << name;
    if (name.find("predictor.cif_output") != std::string::npos) EXPECT_FALSE(is_q) << name;
    if (!is_q) {
      Tensor b = nat->GetTensor(name);
      ASSERT_EQ(b.dtype(), DType::kF32) << name;
      EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0) << name;
      continue;
    }
    ++quantised;
    ASSERT_EQ(q.shape(), a.shape());
    int64_t rows = a.dim(0), cols = a.dim(1);
    Tensor deq = nat->GetTensor(name);  // dequantised view
    for (int64_t r = 0; r < rows; ++r) {
      float amax = 0;
      for (int64_t c = 0; c < cols; ++c) amax = std::max(amax, std::fabs(a.data<float>()[r * cols + c]));
      float s = scales.data<float>()[r];
      EXPECT_NEAR(s, amax / 127.f, 1e-6f * std::max(1.f, amax)) << name;
      for (int64_t c = 0; c < cols; ++c) {
        float err = std::fabs(deq.data<float>()[r * cols + c] - a.data<float>()[r * cols + c]);
        ASSERT_LE(err, 0.5f * s * 1.0001f) << name << " row " << r;
        if (amax > 0) max_rel = std::max(max_rel, err / amax);
      }
    }
    // GetLinear hands out the int8 weight with its scales.
    if (name.size() > 7 && name.compare(name.size() - 7, 7, ".weight") == 0) {
      std::string prefix = name.substr(0, name.size() - 7);
      kernels::LinearWeights lw = nat->GetLinear(prefix, rows, cols, nat->HasTensor(prefix + ".bias"));
      EXPECT_TRUE(lw.quantized());
      EXPECT_EQ(lw.scales.shape(), Shape{rows});
    }
  }
  EXPECT_GT(quantised, 40);
  EXPECT_FALSE(nat->GetTensor("decoder.embed.0.weight").dtype() == DType::kI8);
  std::printf("int8: %d Linear weights quantised, max error %.4g of the row's max |w| (bound 1/254)\n",
              quantised, max_rel);
}

// ---- malformed native files ------------------------------------------------------------

struct Caught {
  ErrorCode code = ErrorCode::kOk;
  std::string message = "(no error)";
};

Caught OpenBytes(const std::string& dir, const std::string& bytes) {
  std::string p = dir + "/bad.fnm";
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  Caught c;
  try {
    ModelFiles::Open(p);
  } catch (const Error& e) {
    c.code = e.code();
    c.message = e.what();
  }
  return c;
}

template <typename T>
void Poke(std::string& s, size_t at, T v) {
  std::memcpy(&s[at], &v, sizeof(T));
}
template <typename T>
T Peek(const std::string& s, size_t at) {
  T v;
  std::memcpy(&v, &s[at], sizeof(T));
  return v;
}

TEST(NativeModel, MalformedFilesAreRefused) {
  std::string good_path = Native("models/fsmn-vad", NativeDType::kF32, "malformed");
  std::string good = funasr_test::ReadTextFile(good_path);
  std::string dir = funasr_test::TempDir("io_native_bad");
  // Offsets of the first tensor entry: header 64 | sections (24 bytes each) | entries.
  uint32_t sections = Peek<uint32_t>(good, 40);
  size_t entry = 64 + 24 * sections;
  uint16_t name_len = Peek<uint16_t>(good, entry);
  size_t dtype_at = entry + 2 + name_len;
  uint8_t rank = Peek<uint8_t>(good, dtype_at + 1);
  size_t dims_at = dtype_at + 4;
  size_t offset_at = dims_at + 8 * rank;
  ASSERT_EQ(good.substr(entry + 2, name_len), "encoder.in_linear1.linear.weight");

  auto expect = [&](std::string bytes, const char* needle, ErrorCode code = ErrorCode::kFormatError) {
    Caught c = OpenBytes(dir, bytes);
    EXPECT_EQ(c.code, code) << needle << ": " << c.message;
    EXPECT_NE(c.message.find(needle), std::string::npos) << c.message;
  };
  std::string b = good;
  b[0] = 'X';
  // Without the magic the file is not recognised as native at all.
  expect(b, "not a libfunasr native model file");
  expect(good.substr(0, good.size() - 100), "header says");
  expect(good.substr(0, 40), "too short");
  b = good;
  Poke<uint32_t>(b, 8, 99);
  expect(b, "native format version 99", ErrorCode::kUnsupported);
  b = good;
  Poke<uint64_t>(b, offset_at, good.size() - 64);
  expect(b, "tensor 'encoder.in_linear1.linear.weight' (224000 bytes at offset");
  b = good;
  Poke<uint64_t>(b, offset_at, Peek<uint64_t>(good, offset_at) + 4);
  expect(b, "is not 64-byte aligned");
  b = good;
  Poke<uint64_t>(b, offset_at, uint64_t{1} << 62);
  expect(b, "lies outside");
  b = good;
  Poke<uint8_t>(b, dtype_at, 9);
  expect(b, "unknown dtype 9");
  b = good;
  Poke<int64_t>(b, dims_at, 141);
  expect(b, "needs 225600 bytes, index says 224000");
  b = good;
  Poke<int64_t>(b, dims_at, -5);
  expect(b, "invalid shape");
  b = good;
  Poke<uint16_t>(b, entry, 60000);
  expect(b, "native index truncated");
  b = good;
  Poke<uint32_t>(b, 44, Peek<uint32_t>(good, 44) + 1);  // one more tensor than the index holds
  expect(b, "native index truncated");
  b = good;
  Poke<uint64_t>(b, 24, uint64_t{1} << 60);  // index offset
  expect(b, "tensor index");
  b = good;
  Poke<uint32_t>(b, 64, 77);  // unknown section kind
  expect(b, "unknown section kind 77");
  // Corrupt config text inside the file.
  b = good;
  uint64_t cfg_off = Peek<uint64_t>(good, 64 + 8);
  b[cfg_off] = '[';
  expect(b, ":config.yaml: invalid YAML");
}

}  // namespace
}  // namespace funasr::io
