// SeACo / Contextual model behaviour beyond the golden cases: empty lists, duplicates,
// unknown-token hotwords, thousands of hotwords (ASF with and without cached projections),
// batches, concurrent requests with different lists on one model, invalid input.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "funasr/error.h"
#include "models/paraformer/contextual_paraformer_model.h"
#include "models/paraformer/seaco_paraformer_model.h"
#include "parity/paraformer_golden.h"

namespace {

using namespace paraformer_test;
using funasr::ErrorCode;
using funasr::layers::PackedSequences;
using funasr::models::ContextualParaformerModel;
using funasr::models::ParaformerOutput;
using funasr::models::ParaformerRequest;
using funasr::models::ParaformerState;
using funasr::models::PreparedHotwords;
using funasr::models::SeacoOutput;
using funasr::models::SeacoParaformerModel;
using Ids = std::vector<std::vector<int64_t>>;

std::shared_ptr<const SeacoParaformerModel> Seaco() {
  static std::shared_ptr<const SeacoParaformerModel> m = [] {
    const std::string dir = FindData("reference/models/seaco-paraformer-tiny");
    return dir.empty() ? nullptr : SeacoParaformerModel::Load(funasr::io::ModelFiles::Open(dir));
  }();
  return m;
}

std::shared_ptr<const ContextualParaformerModel> Contextual() {
  static std::shared_ptr<const ContextualParaformerModel> m = [] {
    const std::string dir = FindData("reference/models/contextual-paraformer-tiny");
    return dir.empty() ? nullptr
                       : ContextualParaformerModel::Load(funasr::io::ModelFiles::Open(dir));
  }();
  return m;
}

// The golden list of every *_hotword case (meta.json), without FunASR's trailing [<s>].
Ids GoldenList() {
  const nlohmann::json meta =
      LoadJson(FindData("reference/seaco-paraformer-tiny/zh_3s_hotword/meta.json"));
  Ids ids = meta["hotword_list_ids"].get<Ids>();
  ids.pop_back();
  return ids;
}

// `n` deterministic pseudo-hotwords of 1..6 tokens from the vocabulary's ordinary ids.
Ids RandomList(size_t n, uint32_t seed, int64_t vocab) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int64_t> id(3, vocab - 2), len(1, 6);
  Ids out(n);
  for (auto& h : out) {
    h.resize(static_cast<size_t>(len(gen)));
    for (auto& t : h) t = id(gen);
  }
  return out;
}

void ExpectSame(const ParaformerOutput& a, const ParaformerOutput& b, const std::string& what,
                float tol) {
  EXPECT_EQ(a.token_ids, b.token_ids) << what;
  EXPECT_EQ(a.argmax_ids, b.argmax_ids) << what;
  ASSERT_EQ(a.log_probs.size(), b.log_probs.size()) << what;
  if (!a.log_probs.empty()) {
    EXPECT_LE(ReportMaxErr(what, a.log_probs.data(), b.log_probs.data(), a.log_probs.size()), tol);
  }
  ASSERT_EQ(a.us_alphas.size(), b.us_alphas.size()) << what;
  if (!a.us_alphas.empty()) {
    EXPECT_LE(ReportMaxErr(what + " us_alphas", a.us_alphas.data(), b.us_alphas.data(),
                           a.us_alphas.size()),
              tol * 0.1f);
  }
}

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const funasr::Error& e) {
    std::printf("  error: %s\n", e.what());
    return e.code();
  }
  return ErrorCode::kOk;
}

TEST(SeacoHotwords, EmptyListIsExactlyPlainDecoding) {
  auto model = Seaco();
  ASSERT_NE(model, nullptr);
  const NpyArray f = Features("zh_3s");
  ParaformerState state;
  ParaformerRequest req;
  req.keep_log_probs = true;
  const SeacoOutput none = model->RunOne(f.f32.data(), f.shape[0], state, req, nullptr);
  const auto empty = model->PrepareHotwords({});
  EXPECT_EQ(empty->count(), 1);  // just [<s>]
  const SeacoOutput with_empty = model->RunOne(f.f32.data(), f.shape[0], state, req, empty.get());
  EXPECT_FALSE(with_empty.hotwords_applied);
  ExpectSame(none, with_empty, "empty list vs none", 0.f);
  // ... and both are the plain BiCif decoding of the core.
  const ParaformerOutput core = model->core().RunOne(f.f32.data(), f.shape[0], state, req);
  ExpectSame(core, none, "plain core vs SeACo without hotwords", 0.f);
  const nlohmann::json ids =
      LoadJson(FindData("reference/seaco-paraformer-tiny/zh_3s_nohotword/token_ids.json"));
  EXPECT_EQ(none.token_ids, ids["token_ids"].get<std::vector<int64_t>>());
}

TEST(ContextualHotwords, EmptyListIsTheDefaultList) {
  auto model = Contextual();
  ASSERT_NE(model, nullptr);
  const NpyArray f = Features("zh_3s");
  ParaformerState state;
  ParaformerRequest req;
  req.keep_log_probs = true;
  const ParaformerOutput none = model->RunOne(f.f32.data(), f.shape[0], state, req, nullptr);
  const auto empty = model->PrepareHotwords({});
  const ParaformerOutput with_empty =
      model->RunOne(f.f32.data(), f.shape[0], state, req, empty.get());
  ExpectSame(none, with_empty, "contextual empty list vs none", 0.f);
}

TEST(SeacoHotwords, DuplicatesAreSeparateIdenticalEntries) {
  auto model = Seaco();
  ASSERT_NE(model, nullptr);
  Ids list = GoldenList();
  list.push_back(list[0]);
  const auto hw = model->PrepareHotwords(list);
  ASSERT_EQ(hw->count(), static_cast<int64_t>(list.size()) + 1);
  const int64_t d = hw->dim;
  const size_t last = list.size() - 1;
  for (int64_t j = 0; j < d; ++j) {
    EXPECT_EQ(hw->embeddings[static_cast<size_t>(j)],
              hw->embeddings[static_cast<size_t>(last * d + j)]);
  }
}

TEST(SeacoHotwords, ThousandsOfHotwordsCachedOrNot) {
  auto model = Seaco();
  ASSERT_NE(model, nullptr);
  const NpyArray f = Features("zh_3s");
  const Ids list = RandomList(10000, 5, model->config().vocab_size);
  const auto cached = model->PrepareHotwords(list);
  const auto uncached = model->PrepareHotwords(list, /*max_cached_bytes=*/0);
  EXPECT_FALSE(cached->layer_kv.empty());
  EXPECT_TRUE(uncached->layer_kv.empty());
  std::printf("10000 hotwords: %.1f MB prepared (cached projections), %.1f MB without\n",
              cached->bytes() / 1048576.0, uncached->bytes() / 1048576.0);
  ParaformerState state;
  ParaformerRequest req;
  req.keep_log_probs = true;
  const SeacoOutput a = model->RunOne(f.f32.data(), f.shape[0], state, req, cached.get());
  const SeacoOutput b = model->RunOne(f.f32.data(), f.shape[0], state, req, uncached.get());
  EXPECT_TRUE(a.hotwords_applied);
  EXPECT_EQ(a.asf_kept.size(), 51u);
  EXPECT_EQ(a.asf_kept, b.asf_kept);
  EXPECT_EQ(a.dha_argmax_ids, b.dha_argmax_ids);
  ExpectSame(a, b, "10000 hotwords cached vs recomputed projections", 1e-4f);
  std::printf("workspace after 10000 hotwords: %.1f MB\n",
              state.workspace.capacity_bytes() / 1048576.0);
}

TEST(SeacoHotwords, FiftyHotwordsAlreadyFilter) {
  // FunASR filters when nfilter (50) < entries incl. <s>: 50 user hotwords -> 51 entries.
  auto model = Seaco();
  ASSERT_NE(model, nullptr);
  const NpyArray f = Features("short_0p6s");
  ParaformerState state;
  for (size_t n : {49u, 50u}) {
    const auto hw = model->PrepareHotwords(RandomList(n, 9, model->config().vocab_size));
    const SeacoOutput out = model->RunOne(f.f32.data(), f.shape[0], state, {}, hw.get());
    EXPECT_EQ(out.asf_kept.empty(), n == 49) << n;
    if (n == 50) {
      EXPECT_EQ(out.asf_kept.size(), 51u);
      EXPECT_EQ(out.asf_kept.back(), 50);
    }
  }
}

TEST(SeacoHotwords, InvalidLists) {
  auto model = Seaco();
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(CodeOf([&] { model->PrepareHotwords({{}}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf([&] { model->PrepareHotwords({{5, 8404}}); }), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CodeOf([&] { model->PrepareHotwords({{-1}}); }), ErrorCode::kInvalidArgument);
  // A list prepared for another model instance.
  auto other = Contextual();
  ASSERT_NE(other, nullptr);
  const auto foreign = other->PrepareHotwords(GoldenList());
  const NpyArray f = Features("short_0p6s");
  ParaformerState state;
  EXPECT_EQ(CodeOf([&] { model->RunOne(f.f32.data(), f.shape[0], state, {}, foreign.get()); }),
            ErrorCode::kInvalidArgument);
  const auto mine = model->PrepareHotwords(GoldenList());
  EXPECT_EQ(CodeOf([&] { other->RunOne(f.f32.data(), f.shape[0], state, {}, mine.get()); }),
            ErrorCode::kInvalidArgument);
}

TEST(SeacoHotwords, BatchEqualsSingle) {
  auto model = Seaco();
  ASSERT_NE(model, nullptr);
  std::vector<NpyArray> feats;
  std::vector<float> packed;
  std::vector<int64_t> lengths;
  for (const char* w : {"zh_3s", "short_0p6s", "mix_20s"}) {
    feats.push_back(Features(w));
    packed.insert(packed.end(), feats.back().f32.begin(), feats.back().f32.end());
    lengths.push_back(feats.back().shape[0]);
  }
  ParaformerState state;
  ParaformerRequest req;
  req.keep_log_probs = true;
  for (size_t n : {5u, 60u}) {  // without and with ASF filtering (per utterance)
    const auto hw = n == 5 ? model->PrepareHotwords(GoldenList())
                           : model->PrepareHotwords(RandomList(n, 3, model->config().vocab_size));
    const std::vector<SeacoOutput> batch =
        model->Run(packed.data(), PackedSequences(lengths), state, req, hw.get());
    for (size_t i = 0; i < feats.size(); ++i) {
      const SeacoOutput single =
          model->RunOne(feats[i].f32.data(), feats[i].shape[0], state, req, hw.get());
      ExpectSame(batch[i], single, "batch vs single, " + std::to_string(n) + " hotwords", 1e-3f);
      EXPECT_EQ(batch[i].asf_kept, single.asf_kept);
    }
  }
}

TEST(SeacoHotwords, ConcurrentRequestsWithTheirOwnLists) {
  auto model = Seaco();
  ASSERT_NE(model, nullptr);
  const NpyArray f = Features("zh_3s");
  std::vector<std::shared_ptr<const PreparedHotwords>> lists = {
      nullptr, model->PrepareHotwords(GoldenList()),
      model->PrepareHotwords(RandomList(7, 1, model->config().vocab_size)),
      model->PrepareHotwords(RandomList(80, 2, model->config().vocab_size))};
  ParaformerRequest req;
  req.keep_log_probs = true;
  req.num_threads = 1;
  std::vector<SeacoOutput> serial;
  {
    ParaformerState state;
    for (const auto& l : lists)
      serial.push_back(model->RunOne(f.f32.data(), f.shape[0], state, req, l.get()));
  }
  std::vector<SeacoOutput> parallel(lists.size() * 3);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < parallel.size(); ++i) {
    threads.emplace_back([&, i] {
      ParaformerState state;
      parallel[i] =
          model->RunOne(f.f32.data(), f.shape[0], state, req, lists[i % lists.size()].get());
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < parallel.size(); ++i) {
    ExpectSame(parallel[i], serial[i % lists.size()], "thread " + std::to_string(i), 0.f);
    EXPECT_EQ(parallel[i].dha_argmax_ids, serial[i % lists.size()].dha_argmax_ids);
  }
  // The lists really change the result (otherwise this test would prove nothing).
  EXPECT_NE(serial[0].log_probs, serial[1].log_probs);
  EXPECT_NE(serial[1].log_probs, serial[2].log_probs);
}

TEST(ContextualHotwords, ConcurrentAndBatch) {
  auto model = Contextual();
  ASSERT_NE(model, nullptr);
  const NpyArray a = Features("zh_3s"), b = Features("mix_20s");
  const auto hw = model->PrepareHotwords(GoldenList());
  ParaformerRequest req;
  req.keep_log_probs = true;
  req.num_threads = 1;
  ParaformerState state;
  const ParaformerOutput sa = model->RunOne(a.f32.data(), a.shape[0], state, req, hw.get());
  const ParaformerOutput sb = model->RunOne(b.f32.data(), b.shape[0], state, req, hw.get());
  std::vector<float> packed(a.f32);
  packed.insert(packed.end(), b.f32.begin(), b.f32.end());
  const auto batch =
      model->Run(packed.data(), PackedSequences({a.shape[0], b.shape[0]}), state, req, hw.get());
  ExpectSame(batch[0], sa, "contextual batch[0]", 1e-3f);
  ExpectSame(batch[1], sb, "contextual batch[1]", 1e-3f);
  std::vector<ParaformerOutput> out(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < out.size(); ++i) {
    threads.emplace_back([&, i] {
      ParaformerState s;
      out[i] = model->RunOne(a.f32.data(), a.shape[0], s, req, i % 2 ? hw.get() : nullptr);
    });
  }
  for (auto& t : threads) t.join();
  const ParaformerOutput plain = model->RunOne(a.f32.data(), a.shape[0], state, req, nullptr);
  for (size_t i = 0; i < out.size(); ++i)
    ExpectSame(out[i], i % 2 ? sa : plain, "contextual thread", 0.f);
}

TEST(ContextualHotwords, ThousandsOfHotwords) {
  auto model = Contextual();
  ASSERT_NE(model, nullptr);
  const NpyArray f = Features("short_0p6s");
  const Ids list = RandomList(10000, 4, model->config().vocab_size);
  const auto cached = model->PrepareHotwords(list);
  const auto uncached = model->PrepareHotwords(list, 0);
  ParaformerState state;
  ParaformerRequest req;
  req.keep_log_probs = true;
  ExpectSame(model->RunOne(f.f32.data(), f.shape[0], state, req, cached.get()),
             model->RunOne(f.f32.data(), f.shape[0], state, req, uncached.get()),
             "contextual 10000 hotwords cached vs not", 1e-4f);
}

}  // namespace
