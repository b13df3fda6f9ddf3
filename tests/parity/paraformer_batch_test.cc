// Batched decoding equals one-by-one decoding, and one model serves concurrent requests.
#include <gtest/gtest.h>

#include <thread>

#include "parity/paraformer_golden.h"

namespace {

using namespace paraformer_test;
using funasr::layers::PackedSequences;
using funasr::models::ParaformerModel;
using funasr::models::ParaformerOutput;
using funasr::models::ParaformerRequest;
using funasr::models::ParaformerState;

struct Inputs {
  std::vector<float> packed;
  std::vector<int64_t> lengths;
  std::vector<NpyArray> feats;
};

Inputs AllCases() {
  Inputs in;
  for (const std::string& c : Cases()) {
    NpyArray f = Features(c);
    in.packed.insert(in.packed.end(), f.f32.begin(), f.f32.end());
    in.lengths.push_back(f.shape[0]);
    in.feats.push_back(std::move(f));
  }
  return in;
}

// Tokens and timestamp fires identical; floats within `tol` (0 = bit-identical). A batch
// changes GEMM shapes and with them the float summation order, so batched floats may drift
// at rounding level; the same request on another thread or thread count is bit-identical.
void ExpectSameResult(const ParaformerOutput& a, const ParaformerOutput& b, const std::string& what,
                      float tol) {
  EXPECT_EQ(a.token_ids, b.token_ids) << what;
  EXPECT_EQ(a.argmax_ids, b.argmax_ids) << what;
  ASSERT_EQ(a.log_probs.size(), b.log_probs.size()) << what;
  ASSERT_EQ(a.us_peaks.size(), b.us_peaks.size()) << what;
  if (!a.log_probs.empty()) {
    EXPECT_LE(ReportMaxErr(what + " log_probs", a.log_probs.data(), b.log_probs.data(),
                           a.log_probs.size()), tol);
  }
  if (!a.us_alphas.empty()) {
    EXPECT_LE(ReportMaxErr(what + " us_alphas", a.us_alphas.data(), b.us_alphas.data(),
                           a.us_alphas.size()), tol * 0.1f);
    for (size_t i = 0; i < a.us_peaks.size(); ++i) {
      EXPECT_EQ(a.us_peaks[i] >= 0.9999f, b.us_peaks[i] >= 0.9999f) << what << " frame " << i;
    }
  }
}

class ParaformerBatch : public ::testing::TestWithParam<std::string> {};

TEST_P(ParaformerBatch, BatchEqualsSingle) {
  auto model = LoadModel(GetParam());
  ASSERT_NE(model, nullptr);
  const Inputs in = AllCases();
  ParaformerState state;
  ParaformerRequest req;
  req.keep_log_probs = true;
  const std::vector<ParaformerOutput> batch =
      model->Run(in.packed.data(), PackedSequences(in.lengths), state, req);
  ASSERT_EQ(batch.size(), in.feats.size());
  for (size_t i = 0; i < in.feats.size(); ++i) {
    const ParaformerOutput single =
        model->RunOne(in.feats[i].f32.data(), in.feats[i].shape[0], state, req);
    ExpectSameResult(batch[i], single, GetParam() + "/" + Cases()[i], 1e-3f);
    const nlohmann::json ids = LoadJson(
        FindData("reference/" + GetParam() + "/" + Cases()[i] + "/token_ids.json"));
    EXPECT_EQ(batch[i].token_ids, ids["token_ids"].get<std::vector<int64_t>>());
  }
  // Reversed order and an empty utterance in the middle change nothing.
  Inputs rev;
  for (size_t i = in.feats.size(); i-- > 0;) {
    rev.packed.insert(rev.packed.end(), in.feats[i].f32.begin(), in.feats[i].f32.end());
    rev.lengths.push_back(in.feats[i].shape[0]);
    if (i == 2) rev.lengths.push_back(0);
  }
  const std::vector<ParaformerOutput> batch2 =
      model->Run(rev.packed.data(), PackedSequences(rev.lengths), state, req);
  ASSERT_EQ(batch2.size(), in.feats.size() + 1);
  size_t k = 0;
  for (size_t i = in.feats.size(); i-- > 0;) {
    ExpectSameResult(batch2[k++], batch[i], GetParam() + "/reversed/" + Cases()[i], 1e-3f);
    if (i == 2) {
      EXPECT_TRUE(batch2[k].token_ids.empty());
      EXPECT_EQ(batch2[k].token_num, 0);
      ++k;
    }
  }
}

TEST_P(ParaformerBatch, ConcurrentRequestsOnOneModel) {
  auto model = LoadModel(GetParam());
  ASSERT_NE(model, nullptr);
  const Inputs in = AllCases();
  ParaformerRequest req;
  req.keep_log_probs = true;
  std::vector<ParaformerOutput> serial;
  {
    ParaformerState state;
    for (const NpyArray& f : in.feats) {
      serial.push_back(model->RunOne(f.f32.data(), f.shape[0], state, req));
    }
  }
  constexpr int kThreads = 4;
  std::vector<std::vector<ParaformerOutput>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ParaformerState state;  // per-request state; the model is shared
      ParaformerRequest r = req;
      r.num_threads = 1 + t % 2;
      for (int rep = 0; rep < 2; ++rep) {
        for (size_t i = 0; i < in.feats.size(); ++i) {
          const size_t j = (i + static_cast<size_t>(t)) % in.feats.size();
          ParaformerOutput o = model->RunOne(in.feats[j].f32.data(), in.feats[j].shape[0], state, r);
          if (rep == 1) {
            got[t].resize(in.feats.size());
            got[t][j] = std::move(o);
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    for (size_t i = 0; i < in.feats.size(); ++i) {
      ExpectSameResult(got[t][i], serial[i], GetParam() + " thread " + std::to_string(t), 0.f);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Models, ParaformerBatch,
                         ::testing::Values("paraformer-tiny", "bicif-paraformer-tiny"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s) if (c == '-') c = '_';
                           return s;
                         });

}  // namespace
