// Random models carry FunASR's exact tensor names, shapes and order: at tiny size they
// match the reference checkpoints one to one, at released size the parameter and entry
// counts of specs/paraformer-pipeline.md §9. Written directories load back exactly.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstring>

#include "common/test_data.h"
#include "io/model_directory_writer.h"
#include "io/model_files.h"
#include "io/native_model_writer.h"
#include "io/random_model.h"
#include "io/cmvn_file.h"

namespace funasr::io {
namespace {

TEST(RandomModel, TinyLayoutsEqualTheReferenceCheckpoints) {
  nlohmann::json fixture =
      nlohmann::json::parse(funasr_test::ReadTextFile(funasr_test::RequireData("io/checkpoint_fixture.json")));
  const std::pair<const char*, RandomModelKind> cases[] = {
      {"paraformer-tiny", RandomModelKind::kParaformer},
      {"bicif-paraformer-tiny", RandomModelKind::kBiCif},
      {"seaco-paraformer-tiny", RandomModelKind::kSeaco},
      {"contextual-paraformer-tiny", RandomModelKind::kContextual},
      {"ct-punc-tiny", RandomModelKind::kCtPunc},
      {"ct-punc-realtime-tiny", RandomModelKind::kCtPuncRealtime}};
  for (const auto& [name, kind] : cases) {
    RandomModelOptions o;
    o.kind = kind;
    if (kind == RandomModelKind::kCtPunc || kind == RandomModelKind::kCtPuncRealtime) o.UsePuncDefaults();
    o.UseTinyReferenceDims();
    auto layout = RandomModelTensorLayout(o);
    const auto& ref = fixture["reference/models/" + std::string(name) + "/model.pt"];
    ASSERT_EQ(layout.size(), ref.size()) << name;
    for (size_t i = 0; i < layout.size(); ++i) {
      EXPECT_EQ(layout[i].first, ref[i]["name"].get<std::string>()) << name << " #" << i;
      EXPECT_EQ(layout[i].second, ref[i]["shape"].get<Shape>()) << name << " " << layout[i].first;
    }
  }
}

TEST(RandomModel, ReleasedSizesMatchTheSpec) {
  struct Case {
    RandomModelKind kind;
    int64_t params;
    size_t entries;
  };
  // specs/paraformer-pipeline.md §9: parameters and state_dict entries of the templates.
  const Case cases[] = {{RandomModelKind::kParaformer, 220084533, 956},
                        {RandomModelKind::kBiCif, 225074998, 968},
                        {RandomModelKind::kSeaco, 247339018, 1095},
                        {RandomModelKind::kContextual, 228064565, 970}};
  for (const Case& c : cases) {
    RandomModelOptions o;
    o.kind = c.kind;
    auto layout = RandomModelTensorLayout(o);
    int64_t params = 0;
    for (const auto& [n, s] : layout) params += ShapeNumel(s);
    EXPECT_EQ(params, c.params) << static_cast<int>(c.kind);
    EXPECT_EQ(layout.size(), c.entries) << static_cast<int>(c.kind);
  }
  RandomModelOptions punc;
  punc.kind = RandomModelKind::kCtPunc;
  punc.UsePuncDefaults();
  auto layout = RandomModelTensorLayout(punc);
  EXPECT_EQ(layout.front().second, (Shape{272727, 256}));
  EXPECT_EQ(layout[1].second, (Shape{6, 256}));
}

TEST(RandomModel, WrittenDirectoryLoadsBackExactly) {
  for (RandomModelKind kind : {RandomModelKind::kSeaco, RandomModelKind::kContextual,
                               RandomModelKind::kCtPuncRealtime}) {
    RandomModelOptions o;
    o.kind = kind;
    if (kind == RandomModelKind::kCtPuncRealtime) o.UsePuncDefaults();
    o.UseTinyReferenceDims();
    o.seed = 7;
    std::optional<Cmvn> cmvn;
    if (kind != RandomModelKind::kCtPuncRealtime)
      cmvn = LoadCmvn(funasr_test::RequireData("reference/models/paraformer-tiny/am.mvn"));
    auto model = MakeRandomModel(o, {}, cmvn);
    std::string dir = funasr_test::TempDir("io_random_dir_" + std::to_string(static_cast<int>(kind)));
    WriteModelDirectory(*model, dir);
    auto back = ModelFiles::Open(dir);
    EXPECT_EQ(back->model_class(), model->model_class());
    ASSERT_EQ(back->TensorNames(), model->TensorNames());
    for (const auto& n : model->TensorNames()) {
      Tensor a = model->GetTensor(n), b = back->GetTensor(n);
      ASSERT_EQ(a.shape(), b.shape());
      EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0) << n;
    }
    EXPECT_EQ(back->tokens(), model->tokens());
    ASSERT_EQ(back->cmvn().has_value(), model->cmvn().has_value());
    if (cmvn) {
      EXPECT_EQ(back->cmvn()->shift, cmvn->shift);  // %.9g text round-trips floats exactly
      EXPECT_EQ(back->cmvn()->scale, cmvn->scale);
    }
    // Weights are tame: LayerNorm gains 1, CIF bias gives alpha 1/3.
    if (kind == RandomModelKind::kSeaco) {
      EXPECT_EQ(back->GetF32("encoder.after_norm.weight").data<float>()[0], 1.f);
      EXPECT_NEAR(back->GetF32("predictor.cif_output.bias").data<float>()[0], -0.693f, 1e-3);
    }
    // And the config reads like the reference one.
    ConfigReader r(back->config(), back->config_path());
    EXPECT_EQ(r.Section("encoder_conf").GetInt("output_size", 0), o.d_model);
    EXPECT_DOUBLE_EQ(r.Section("frontend_conf").GetDouble("dither", 1.0),
                     kind == RandomModelKind::kCtPuncRealtime ? 1.0 : 0.0);
  }
}

}  // namespace
}  // namespace funasr::io
