// int8 weights (Linear layers quantised per output channel at load): relative error of the
// encoder output and of the decoder log-probs against fp32 on every golden case. Random
// weights give near-flat outputs, so token agreement is reported but not required.
#include <gtest/gtest.h>

#include "parity/paraformer_golden.h"

namespace {

using namespace paraformer_test;
using funasr::layers::PackedSequences;
using funasr::models::ParaformerModel;
using funasr::models::ParaformerRequest;
using funasr::models::ParaformerState;

class ParaformerInt8 : public ::testing::TestWithParam<std::string> {};

TEST_P(ParaformerInt8, RelativeErrorVsFp32) {
  auto fp32 = LoadModel(GetParam());
  auto int8 = LoadModel(GetParam(), /*int8=*/true);
  ASSERT_NE(fp32, nullptr);
  ASSERT_NE(int8, nullptr);
  EXPECT_TRUE(int8->quantized());
  ParaformerState state;
  ParaformerRequest req;
  req.keep_intermediates = true;
  req.keep_log_probs = true;
  const int64_t d = fp32->config().encoder.output_size;
  const int64_t vocab = fp32->config().vocab_size;
  double worst_enc = 0, worst_dec = 0;
  for (const std::string& c : Cases()) {
    const NpyArray f = Features(c);
    const auto a = fp32->RunOne(f.f32.data(), f.shape[0], state, req);
    const auto b = int8->RunOne(f.f32.data(), f.shape[0], state, req);
    const double enc = RelErr(b.encoder_out.data(), a.encoder_out.data(), a.encoder_out.size());
    // Decoder alone: the int8 decoder on the fp32 encoder output and embeddings, so that
    // both see the same token count.
    std::vector<float> lp(static_cast<size_t>(a.token_num * vocab));
    int8->DecodeLogProbs(a.acoustic_embeds.data(), PackedSequences::Single(a.token_num),
                         a.encoder_out.data(), PackedSequences::Single(a.num_frames), lp.data(),
                         state);
    const double dec = RelErr(lp.data(), a.log_probs.data(), lp.size());
    size_t agree = 0;
    std::vector<int64_t> ids;
    int8->Greedy(lp.data(), a.token_num, &ids);
    for (size_t i = 0; i < ids.size(); ++i) agree += ids[i] == a.argmax_ids[i];
    std::printf("[%s/%s int8] encoder_out rel err %.4f | decoder log-probs rel err %.4f | "
                "argmax agreement %zu/%zu | token count %lld vs fp32 %lld\n",
                GetParam().c_str(), c.c_str(), enc, dec, agree, ids.size(),
                static_cast<long long>(b.token_num), static_cast<long long>(a.token_num));
    worst_enc = std::max(worst_enc, enc);
    worst_dec = std::max(worst_dec, dec);
    (void)d;
  }
  EXPECT_LT(worst_enc, 0.05);
  EXPECT_LT(worst_dec, 0.05);
}

INSTANTIATE_TEST_SUITE_P(Models, ParaformerInt8,
                         ::testing::Values("paraformer-tiny", "bicif-paraformer-tiny"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& c : s) if (c == '-') c = '_';
                           return s;
                         });

}  // namespace
