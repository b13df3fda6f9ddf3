// SeACo-Paraformer and Contextual Paraformer vs FunASR's golden data (reference/README.md
// §5.2): every seaco-paraformer-tiny and contextual-paraformer-tiny case, with and without
// hotwords, fed with the golden features and the hotword id lists FunASR built
// (meta.json). Token ids, text and timestamps must be identical; intermediates (hotword
// embeddings, ASF scores, ASR / DHA / merged log-probs) within tolerance, max errors printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/paraformer/contextual_paraformer_model.h"
#include "models/paraformer/seaco_paraformer_model.h"
#include "parity/paraformer_golden.h"
#include "text/asr_text.h"

namespace {

using namespace paraformer_test;
using funasr::models::ContextualParaformerModel;
using funasr::models::ParaformerRequest;
using funasr::models::ParaformerState;
using funasr::models::PreparedHotwords;
using funasr::models::SeacoParaformerModel;

const SeacoParaformerModel* Seaco() {
  static std::shared_ptr<const SeacoParaformerModel> m = [] {
    const std::string dir = FindData("reference/models/seaco-paraformer-tiny");
    return dir.empty() ? nullptr : SeacoParaformerModel::Load(funasr::io::ModelFiles::Open(dir));
  }();
  return m.get();
}

const ContextualParaformerModel* Contextual() {
  static std::shared_ptr<const ContextualParaformerModel> m = [] {
    const std::string dir = FindData("reference/models/contextual-paraformer-tiny");
    return dir.empty() ? nullptr
                       : ContextualParaformerModel::Load(funasr::io::ModelFiles::Open(dir));
  }();
  return m.get();
}

funasr::text::TokenList Vocab(const funasr::io::ModelFiles& files) {
  return funasr::text::TokenList(files.tokens(), files.path() + " tokens");
}

std::string WavOf(const std::string& c) { return c.substr(0, c.rfind('_')); }

// User hotword id lists from meta.json (FunASR's list without its trailing [<s>] entry).
std::vector<std::vector<int64_t>> UserHotwords(const nlohmann::json& meta) {
  std::vector<std::vector<int64_t>> ids;
  if (!meta.contains("hotword_list_ids") || meta["hotword_list_ids"].is_null()) return ids;
  ids = meta["hotword_list_ids"].get<std::vector<std::vector<int64_t>>>();
  EXPECT_EQ(ids.back(), std::vector<int64_t>{1}) << "FunASR appends [<s>]";
  ids.pop_back();
  return ids;
}

// Compares rows [n, vocab] of ours against a golden matrix: the full file from ../shared when
// present, else the committed top-10 values/indices. Returns the max error.
float CompareLogProbs(const std::string& what, const std::string& dir, const std::string& name,
                      const std::vector<float>& ours, int64_t n, int64_t vocab) {
  const std::string full = funasr_test::SharedData(dir + name + ".npy");
  float err = 0.f;
  if (!full.empty()) {
    const NpyArray g = LoadNpy(full);
    EXPECT_EQ(g.numel(), n * vocab) << what;
    if (g.numel() == n * vocab)
      err = ReportMaxErr(what + " (full)", ours.data(), g.f32.data(), ours.size());
  }
  const std::string tv = FindData(dir + name + "_top10_values.npy");
  const std::string ti = FindData(dir + name + "_top10_indices.npy");
  EXPECT_FALSE(tv.empty() || ti.empty()) << what << ": no top-10 fixture";
  if (tv.empty() || ti.empty()) return err;
  const NpyArray v = LoadNpy(tv), idx = LoadNpy(ti);
  EXPECT_EQ(v.shape[0], n);
  float top = 0.f;
  for (int64_t r = 0; r < std::min<int64_t>(n, v.shape[0]); ++r) {
    for (int64_t j = 0; j < v.shape[1]; ++j) {
      const size_t k = static_cast<size_t>(r * v.shape[1] + j);
      top = std::max(top, std::fabs(ours[static_cast<size_t>(r * vocab + idx.i64[k])] - v.f32[k]));
    }
  }
  std::printf("  %-44s max abs err %.3g\n", (what + " (golden top-10)").c_str(), top);
  return std::max(err, top);
}

void CheckText(const std::string& dir, const funasr::text::AsrText& got) {
  const nlohmann::json result = LoadJson(FindData(dir + "result.json"))[0];
  EXPECT_EQ(got.text, result["text"].get<std::string>());
  if (result.contains("timestamp")) {
    std::vector<funasr::TimeSpanMs> want;
    for (const auto& p : result["timestamp"]) {
      want.push_back({p.at(0).get<int64_t>(), p.at(1).get<int64_t>()});
    }
    EXPECT_TRUE(got.timestamps == want) << "timestamps differ";
  } else {
    EXPECT_FALSE(got.has_timestamps);
  }
}

class SeacoGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(SeacoGolden, MatchesFunAsr) {
  const SeacoParaformerModel* model = Seaco();
  ASSERT_NE(model, nullptr) << "reference/models/seaco-paraformer-tiny not found";
  const std::string c = GetParam();
  const std::string dir = "reference/seaco-paraformer-tiny/" + c + "/";
  const nlohmann::json meta = LoadJson(FindData(dir + "meta.json"));
  const std::vector<std::vector<int64_t>> user = UserHotwords(meta);
  const bool with_hotwords = meta["generate_kwargs"].contains("hotword");
  EXPECT_EQ(with_hotwords, !user.empty());
  std::shared_ptr<const PreparedHotwords> hw;
  if (with_hotwords) {
    hw = model->PrepareHotwords(user);
    const NpyArray emb = LoadNpy(FindData(dir + "hotword_embedding.npy"));
    ASSERT_EQ(emb.shape[0], hw->count());
    ASSERT_EQ(static_cast<size_t>(emb.numel()), hw->embeddings.size());
    const float e = ReportMaxErr("hotword_embedding", hw->embeddings.data(), emb.f32.data(),
                                 hw->embeddings.size());
    EXPECT_LE(e, 1e-5f);
  }
  const NpyArray feats = Features(WavOf(c));
  ParaformerState state;
  ParaformerRequest req;
  req.keep_intermediates = true;
  req.keep_log_probs = true;
  const funasr::models::SeacoOutput out =
      model->RunOne(feats.f32.data(), feats.shape[0], state, req, hw.get());
  std::printf("[seaco/%s] T=%lld N=%lld hotwords=%zu\n", c.c_str(),
              static_cast<long long>(out.num_frames), static_cast<long long>(out.token_num),
              user.size());
  EXPECT_EQ(out.token_num, meta["token_num"].get<int64_t>());
  ExpectClose("alphas", out.alphas, LoadNpy(FindData(dir + "alphas.npy")), 1e-4f);
  const std::string enc = funasr_test::SharedData(dir + "encoder_out.npy");
  if (!enc.empty()) ExpectClose("encoder_out", out.encoder_out, LoadNpy(enc), 2e-3f);
  const int64_t n = out.token_num;
  const int64_t vocab = model->config().vocab_size;
  EXPECT_EQ(out.hotwords_applied, with_hotwords);
  if (with_hotwords) {
    EXPECT_LE(CompareLogProbs("asr_decoder_logprobs", dir, "asr_decoder_logprobs",
                              out.asr_log_probs, n, vocab),
              2e-3f);
    EXPECT_LE(CompareLogProbs("dha_logprobs", dir, "dha_logprobs", out.dha_log_probs, n, vocab),
              2e-3f);
    const NpyArray dha_ids = LoadNpy(FindData(dir + "dha_argmax_ids.npy"));
    EXPECT_EQ(out.dha_argmax_ids, dha_ids.i64) << "DHA argmax ids";
    EXPECT_EQ(out.dha_positions, meta["dha_positions_not_no_bias"].get<int64_t>());
    const std::string scores = FindData(dir + "asf_hotword_scores.npy");
    if (!scores.empty()) {
      ASSERT_FALSE(out.asf_scores.empty()) << "ASF did not run";
      ExpectClose("asf_hotword_scores", out.asf_scores, LoadNpy(scores), 1e-3f);
      EXPECT_EQ(out.asf_kept.size(), 51u);
      EXPECT_EQ(out.asf_kept.back(), static_cast<int64_t>(user.size()));
    } else {
      EXPECT_TRUE(out.asf_kept.empty()) << "ASF ran for a list of " << user.size() + 1;
    }
  }
  EXPECT_LE(CompareLogProbs("decoder_logprobs (merged)", dir, "decoder_logprobs", out.log_probs, n,
                            vocab),
            2e-3f);
  EXPECT_EQ(out.argmax_ids, LoadNpy(FindData(dir + "argmax_ids.npy")).i64) << "argmax ids";
  const nlohmann::json ids = LoadJson(FindData(dir + "token_ids.json"));
  EXPECT_EQ(out.token_ids, ids["token_ids"].get<std::vector<int64_t>>()) << "token ids";
  ExpectClose("us_alphas", out.us_alphas, LoadNpy(FindData(dir + "us_alphas.npy")), 1e-4f);
  ExpectClose("us_peaks", out.us_peaks, LoadNpy(FindData(dir + "us_peaks.npy")), 1e-4f);
  const funasr::text::AsrText text =
      funasr::text::DecodeAsrText(Vocab(model->files()), out.token_ids, out.us_alphas.data(),
                                  out.us_peaks.data(), out.us_alphas.size());
  CheckText(dir, text);
}

INSTANTIATE_TEST_SUITE_P(Cases, SeacoGolden,
                         ::testing::Values("zh_3s_nohotword", "zh_3s_hotword",
                                           "short_0p6s_nohotword", "short_0p6s_hotword",
                                           "mix_20s_nohotword", "mix_20s_hotword",
                                           "mix_20s_hotword55"),
                         [](const auto& info) { return info.param; });

class ContextualGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(ContextualGolden, MatchesFunAsr) {
  const ContextualParaformerModel* model = Contextual();
  ASSERT_NE(model, nullptr) << "reference/models/contextual-paraformer-tiny not found";
  const std::string c = GetParam();
  const std::string dir = "reference/contextual-paraformer-tiny/" + c + "/";
  const nlohmann::json meta = LoadJson(FindData(dir + "meta.json"));
  const std::vector<std::vector<int64_t>> user = UserHotwords(meta);
  std::shared_ptr<const PreparedHotwords> hw;
  if (!user.empty()) hw = model->PrepareHotwords(user);
  const PreparedHotwords& used = hw ? *hw : model->default_hotwords();
  const std::string emb_path = FindData(dir + "hotword_embedding.npy");
  if (!emb_path.empty()) {
    const NpyArray emb = LoadNpy(emb_path);
    ASSERT_EQ(emb.shape[0], used.count());
    EXPECT_LE(ReportMaxErr("hotword_embedding (h_n)", used.embeddings.data(), emb.f32.data(),
                           used.embeddings.size()),
              1e-5f);
  }
  const NpyArray feats = Features(WavOf(c));
  ParaformerState state;
  ParaformerRequest req;
  req.keep_intermediates = true;
  req.keep_log_probs = true;
  const funasr::models::ParaformerOutput out =
      model->RunOne(feats.f32.data(), feats.shape[0], state, req, hw.get());
  std::printf("[contextual/%s] T=%lld N=%lld hotwords=%zu\n", c.c_str(),
              static_cast<long long>(out.num_frames), static_cast<long long>(out.token_num),
              user.size());
  EXPECT_EQ(out.token_num, meta["token_num"].get<int64_t>());
  ExpectClose("alphas", out.alphas, LoadNpy(FindData(dir + "alphas.npy")), 1e-4f);
  EXPECT_LE(CompareLogProbs("decoder_logprobs", dir, "decoder_logprobs", out.log_probs,
                            out.token_num, model->config().vocab_size),
            2e-3f);
  EXPECT_EQ(out.argmax_ids, LoadNpy(FindData(dir + "argmax_ids.npy")).i64) << "argmax ids";
  const nlohmann::json ids = LoadJson(FindData(dir + "token_ids.json"));
  EXPECT_EQ(out.token_ids, ids["token_ids"].get<std::vector<int64_t>>()) << "token ids";
  CheckText(dir, funasr::text::DecodeAsrText(Vocab(model->files()), out.token_ids));
}

INSTANTIATE_TEST_SUITE_P(Cases, ContextualGolden,
                         ::testing::Values("zh_3s_nohotword", "zh_3s_hotword", "mix_20s_nohotword"),
                         [](const auto& info) { return info.param; });

}  // namespace
