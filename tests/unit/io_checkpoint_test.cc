// The zip+pickle checkpoint reader against values PyTorch itself extracted
// (tests/data/io/checkpoint_fixture.json, written by dump_checkpoint_fixture.py), and the
// released-directory loader on every reference model and both FSMN-VAD layouts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstring>
#include <map>
#include <thread>

#include "common/test_data.h"
#include "core/check.h"
#include "io/model_class.h"
#include "io/model_directory.h"
#include "io/model_files.h"
#include "io/torch_checkpoint.h"

namespace funasr::io {
namespace {

uint64_t BitChecksum(const Tensor& t) {
  uint64_t sum = 0;
  int64_t n = t.numel();
  if (t.dtype() == DType::kF32) {
    const float* p = t.data<float>();
    for (int64_t i = 0; i < n; ++i) {
      uint32_t b;
      std::memcpy(&b, p + i, 4);
      sum += static_cast<uint64_t>(b) * static_cast<uint64_t>(i + 1);
    }
  } else if (t.dtype() == DType::kI64) {
    const int64_t* p = t.data<int64_t>();
    for (int64_t i = 0; i < n; ++i) sum += static_cast<uint64_t>(p[i]) * static_cast<uint64_t>(i + 1);
  } else {
    ADD_FAILURE() << "unexpected dtype " << DTypeName(t.dtype());
  }
  return sum;
}

nlohmann::json Fixture() {
  std::string p = funasr_test::RequireData("io/checkpoint_fixture.json");
  return nlohmann::json::parse(funasr_test::ReadTextFile(p));
}

TEST(TorchCheckpoint, EveryTensorEqualsWhatPyTorchReads) {
  nlohmann::json fixture = Fixture();
  ASSERT_GE(fixture.size(), 10u);
  size_t checked = 0;
  for (auto& [rel, entries] : fixture.items()) {
    std::string path = funasr_test::RequireData(rel);
    ASSERT_FALSE(path.empty());
    std::vector<NamedTensor> tensors = LoadTorchCheckpoint(path);
    ASSERT_EQ(tensors.size(), entries.size()) << rel;
    for (size_t i = 0; i < tensors.size(); ++i) {
      const auto& e = entries[i];
      const NamedTensor& t = tensors[i];
      ASSERT_EQ(t.name, e["name"].get<std::string>()) << rel;
      EXPECT_EQ(t.tensor.shape(), e["shape"].get<Shape>()) << rel << " " << t.name;
      EXPECT_EQ(std::to_string(BitChecksum(t.tensor)), e["checksum"].get<std::string>())
          << rel << " " << t.name;
      Tensor f = t.tensor.ToF32();
      auto first = e["first"].get<std::vector<double>>();
      for (size_t k = 0; k < first.size(); ++k)
        EXPECT_EQ(f.data<float>()[k], static_cast<float>(first[k])) << rel << " " << t.name;
      ++checked;
    }
  }
  std::printf("checked %zu tensors bit-exactly against PyTorch (max error 0)\n", checked);
}

// On demand (TorchCheckpoint, what released directories use) gives what the whole-file
// reader gives, for every tensor; storages shared by views are read once while a view
// lives; concurrent reads agree.
TEST(TorchCheckpoint, OnDemandReadsEqualTheWholeFile) {
  std::vector<std::string> files;
  const nlohmann::json fixture = Fixture();
  for (auto& [rel, entries] : fixture.items()) files.push_back(funasr_test::RequireData(rel));
  files.push_back(funasr_test::RequireData("io/torch_seeds/mixed_types.pt"));
  for (const std::string& path : files) {
    const std::vector<NamedTensor> all = LoadTorchCheckpoint(path);
    auto ck = TorchCheckpoint::Open(path);
    ASSERT_EQ(ck->names().size(), all.size()) << path;
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(ck->names()[i], all[i].name);
      const Tensor t = ck->Read(i);
      ASSERT_EQ(t.dtype(), all[i].tensor.dtype()) << all[i].name;
      ASSERT_EQ(t.shape(), all[i].tensor.shape()) << all[i].name;
      EXPECT_EQ(std::memcmp(t.raw_data(), all[i].tensor.raw_data(), t.nbytes()), 0)
          << path << " " << all[i].name;
    }
    EXPECT_THROW(ck->Read(all.size()), Error);
    // Four threads reading every tensor at once.
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int k = 0; k < 4; ++k) {
      threads.emplace_back([&] {
        for (size_t i = 0; i < all.size(); ++i) {
          const Tensor t = ck->Read(i);
          if (std::memcmp(t.raw_data(), all[i].tensor.raw_data(), t.nbytes()) != 0) ++mismatches;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(mismatches.load(), 0) << path;
  }
  // "w" and its transposed view "w_t" share one storage; "row" is a view at an offset.
  auto ck = TorchCheckpoint::Open(funasr_test::RequireData("io/torch_seeds/mixed_types.pt"));
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < ck->names().size(); ++i) index[ck->names()[i]] = i;
  const Tensor w = ck->Read(index.at("w"));
  const Tensor row = ck->Read(index.at("row"));
  EXPECT_EQ(static_cast<const float*>(row.raw_data()), w.data<float>() + 4)
      << "a live storage is shared, not read again";
}

TEST(ModelDirectory, EveryReferenceModelLoads) {
  struct Case {
    const char* dir;
    const char* cls;
    size_t tokens;
    size_t cmvn_dim;
    bool seg_dict;
  };
  const Case cases[] = {
      {"reference/models/paraformer-tiny", "Paraformer", 8404, 560, true},
      {"reference/models/bicif-paraformer-tiny", "BiCifParaformer", 8404, 560, true},
      {"reference/models/seaco-paraformer-tiny", "SeacoParaformer", 8404, 560, true},
      {"reference/models/contextual-paraformer-tiny", "ContextualParaformer", 8404, 560, true},
      {"reference/models/fsmn-vad", "FsmnVADStreaming", 0, 400, false},
      {"reference/models/fsmn-vad-random", "FsmnVADStreaming", 0, 400, false},
      {"reference/models/ct-punc-tiny", "CTTransformer", 0, 0, false},
      {"reference/models/ct-punc-realtime-tiny", "CTTransformerStreaming", 0, 0, false},
      {"models/fsmn-vad", "FsmnVADStreaming", 0, 400, false},
      {"models/fsmn-vad-legacy", "FsmnVADStreaming", 0, 400, false},
  };
  nlohmann::json fixture = Fixture();
  for (const Case& c : cases) {
    std::string dir = funasr_test::RequireData(c.dir);
    ASSERT_FALSE(dir.empty());
    auto files = ModelFiles::Open(dir);
    EXPECT_EQ(files->model_class(), c.cls) << c.dir;
    EXPECT_TRUE(IsKnownModelClass(files->model_class()));
    EXPECT_NO_THROW(CheckModelClass(*files));
    if (c.tokens) {
      EXPECT_EQ(files->tokens().size(), c.tokens) << c.dir;
    }
    if (c.cmvn_dim) {
      ASSERT_TRUE(files->cmvn().has_value()) << c.dir;
      EXPECT_EQ(files->cmvn()->dim(), c.cmvn_dim);
    } else {
      EXPECT_FALSE(files->cmvn().has_value());
    }
    EXPECT_EQ(!files->seg_dict().empty(), c.seg_dict) << c.dir;
    EXPECT_TRUE(files->config().IsMap());
  }
  // Punctuation vocabulary of the tiny models.
  auto punc = ModelFiles::Open(funasr_test::RequireData("reference/models/ct-punc-tiny"));
  EXPECT_GT(punc->tokens().size(), 3000u);
  EXPECT_EQ(punc->tokens()[0], "<blank>");
  EXPECT_EQ(punc->tokens().back(), "<unk>");
}

TEST(ModelDirectory, LegacyVadKeysAreNormalisedToTheEncoderPrefix) {
  auto modern = ModelFiles::Open(funasr_test::RequireData("models/fsmn-vad"));
  auto legacy = ModelFiles::Open(funasr_test::RequireData("models/fsmn-vad-legacy"));
  EXPECT_EQ(legacy->TensorNames(), modern->TensorNames());
  ASSERT_EQ(modern->TensorNames().size(), 24u);
  for (const auto& name : modern->TensorNames()) {
    EXPECT_EQ(name.rfind("encoder.", 0), 0u) << name;
    Tensor a = modern->GetTensor(name), b = legacy->GetTensor(name);
    ASSERT_EQ(a.shape(), b.shape()) << name;
    EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0) << name;
  }
  // The legacy vad.yaml's vad_post_conf reads as model_conf, like the 1.x config.
  ConfigReader lc(legacy->config(), legacy->config_path());
  ConfigReader mc(modern->config(), modern->config_path());
  EXPECT_EQ(lc.Section("model_conf").GetInt("max_end_silence_time", -1), 800);
  EXPECT_EQ(lc.Section("model_conf").GetDouble("speech_noise_thres", -1), 0.6);
  EXPECT_EQ(mc.Section("encoder_conf").GetInt("lorder", -1),
            lc.Section("encoder_conf").GetInt("lorder", -2));
  EXPECT_EQ(*legacy->cmvn()->shift.data(), *modern->cmvn()->shift.data());
}

TEST(ModelFiles, GetF32AndGetLinearCheckShapes) {
  auto files = ModelFiles::Open(funasr_test::RequireData("models/fsmn-vad"));
  Tensor w = files->GetF32("encoder.in_linear1.linear.weight", Shape{140, 400});
  EXPECT_EQ(w.dtype(), DType::kF32);
  kernels::LinearWeights lin = files->GetLinear("encoder.in_linear1.linear", 140, 400);
  EXPECT_EQ(lin.out_features(), 140);
  EXPECT_EQ(lin.in_features(), 400);
  EXPECT_EQ(lin.bias.shape(), Shape{140});
  EXPECT_FALSE(lin.quantized());
  try {
    files->GetLinear("encoder.in_linear1.linear", 400, 140);
    FAIL() << "expected a shape error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormatError);
    EXPECT_NE(std::string(e.what()).find("'encoder.in_linear1.linear.weight' has shape [140, 400], expected [400, 140]"),
              std::string::npos) << e.what();
  }
  try {
    files->GetF32("encoder.nope.weight");
    FAIL() << "expected a missing-tensor error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'encoder.nope.weight' not found"), std::string::npos) << e.what();
  }
}

TEST(ModelDirectory, LayoutFollowsConfigurationJson) {
  ModelDirectoryLayout l = ResolveModelDirectory(funasr_test::RequireData("models/fsmn-vad-legacy"));
  EXPECT_NE(l.config.find("vad.yaml"), std::string::npos);
  EXPECT_NE(l.checkpoint.find("vad.pb"), std::string::npos);
  EXPECT_NE(l.cmvn.find("vad.mvn"), std::string::npos);
  EXPECT_TRUE(l.tokens.empty());
  ModelDirectoryLayout p = ResolveModelDirectory(funasr_test::RequireData("reference/models/paraformer-tiny"));
  EXPECT_NE(p.seg_dict.find("seg_dict"), std::string::npos);
  EXPECT_NE(p.tokens.find("tokens.json"), std::string::npos);
}

}  // namespace
}  // namespace funasr::io

namespace funasr::io {
namespace {

// Small checkpoints written by torch.save itself (tests/data/io/make_torch_seeds.py):
// _metadata BUILD, shared storages, offsets, transposed views, f16/i64/i32, 0-d and empty
// tensors, {"state_dict": ...} wrapping with non-tensor entries.
TEST(TorchCheckpoint, ShapesPyTorchEmits) {
  auto mixed = LoadTorchCheckpoint(funasr_test::RequireData("io/torch_seeds/mixed_types.pt"));
  std::map<std::string, Tensor> t;
  for (auto& nt : mixed) t[nt.name] = nt.tensor;
  ASSERT_EQ(t.size(), 8u);
  auto values = [](const Tensor& x) {
    Tensor f = x.ToF32();
    return std::vector<float>(f.data<float>(), f.data<float>() + f.numel());
  };
  EXPECT_EQ(t["w"].shape(), (Shape{3, 4}));
  EXPECT_EQ(values(t["w"])[5], 5.f);
  EXPECT_EQ(t["w_t"].shape(), (Shape{4, 3}));
  EXPECT_EQ(values(t["w_t"]), (std::vector<float>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
  EXPECT_EQ(values(t["row"]), (std::vector<float>{4, 5, 6, 7}));
  EXPECT_EQ(t["half"].dtype(), DType::kF16);
  EXPECT_EQ(values(t["half"]), (std::vector<float>{1, 1, 1, 1}));
  EXPECT_EQ(t["long"].dtype(), DType::kI64);
  EXPECT_EQ(t["long"].data<int64_t>()[2], 3);
  EXPECT_EQ(t["int"].dtype(), DType::kI32);
  EXPECT_EQ(t["scalar"].shape(), Shape{});
  EXPECT_EQ(values(t["scalar"]), (std::vector<float>{3.5f}));
  EXPECT_EQ(t["empty"].shape(), (Shape{0, 5}));

  auto wrapped = LoadTorchCheckpoint(funasr_test::RequireData("io/torch_seeds/wrapped.pt"));
  ASSERT_EQ(wrapped.size(), 2u);
  EXPECT_EQ(wrapped[0].name, "weight");
  EXPECT_EQ(wrapped[1].name, "bias");
  auto plain = LoadTorchCheckpoint(funasr_test::RequireData("io/torch_seeds/linear_state_dict.pt"));
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(std::memcmp(plain[0].tensor.raw_data(), wrapped[0].tensor.raw_data(), 24), 0);
}

}  // namespace
}  // namespace funasr::io

namespace funasr::io {
namespace {

TEST(ModelDirectory, ModulePrefixIsDropped) {
  std::string dir = funasr_test::TempDir("io_module_prefix");
  std::string src = funasr_test::RequireData("io/torch_seeds/module_prefix.pt");
  std::string bytes = funasr_test::ReadTextFile(src);
  {
    std::FILE* f = std::fopen((dir + "/model.pt").c_str(), "wb");
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    f = std::fopen((dir + "/config.yaml").c_str(), "wb");
    std::fputs("model: Paraformer\n", f);
    std::fclose(f);
  }
  auto files = ModelFiles::Open(dir);
  EXPECT_EQ(files->TensorNames(), (std::vector<std::string>{"encoder.weight"}));
  EXPECT_EQ(files->GetF32("encoder.weight").shape(), (Shape{2, 3}));
  EXPECT_TRUE(files->tokens().empty());
  EXPECT_FALSE(files->cmvn().has_value());
}

}  // namespace
}  // namespace funasr::io
