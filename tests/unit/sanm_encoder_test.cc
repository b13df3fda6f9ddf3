// layers::SanmEncoder thread schedules. With several threads, Forward runs the row-block
// schedule (two parallel steps per layer, each thread on its own rows) when every projection
// gives the same rows in blocks (int8; fp32 on the packed kernel); with one thread, one
// step per operation. Both must give bit-identical
// results for every thread count, on packed batches whose row blocks cross sequence
// boundaries, with and without attention masks.
#include "layers/sanm_encoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/threading.h"
#include "io/random_model.h"
#include "kernels_test_util.h"

namespace {

using funasr::layers::AttentionMasks;
using funasr::layers::PackedSequences;
using funasr::layers::SanmEncoder;

struct Encoder {
  std::shared_ptr<const funasr::io::ModelFiles> files;
  SanmEncoder encoder;
};

// A paraformer-shaped encoder, small enough for a unit test: 6 layers (the 80x7 -> d first
// layer without residual, then in-place layers), d 128, 4 heads, FFN 256, FSMN K 11.
Encoder MakeEncoder(bool int8) {
  funasr::io::RandomModelOptions o;
  o.seed = 11;
  o.d_model = 128;
  o.heads = 4;
  o.encoder_ffn = 256;
  o.encoder_blocks = 6;
  o.decoder_ffn = 64;
  o.decoder_blocks = 1;
  o.vocab = 16;
  o.inner_dim = 64;
  o.seaco_ffn = 64;
  Encoder e;
  e.files = funasr::io::MakeRandomModel(o);
  funasr::layers::SanmEncoderConfig c;
  c.input_size = o.input_dim;
  c.output_size = o.d_model;
  c.attention_heads = o.heads;
  c.linear_units = o.encoder_ffn;
  c.num_blocks = o.encoder_blocks;
  c.kernel_size = o.kernel_size;
  funasr::layers::WeightOptions w;
  w.quantize_int8 = int8;
  e.encoder = SanmEncoder::Load(*e.files, "encoder", c, w);
  return e;
}

// Causal [T, T] masks (1 = may attend), as CT-Transformer realtime gives its first layer.
std::vector<std::vector<uint8_t>> CausalMasks(const PackedSequences& seqs) {
  std::vector<std::vector<uint8_t>> masks;
  for (int64_t s = 0; s < seqs.count(); ++s) {
    const int64_t t = seqs.length(s);
    std::vector<uint8_t> m(static_cast<size_t>(t * t), 0);
    for (int64_t i = 0; i < t; ++i) {
      for (int64_t j = 0; j <= i; ++j) m[static_cast<size_t>(i * t + j)] = 1;
    }
    masks.push_back(std::move(m));
  }
  return masks;
}

std::vector<float> Encode(const SanmEncoder& enc, const std::vector<float>& x,
                       const PackedSequences& seqs, int threads, const AttentionMasks& first,
                       const AttentionMasks& other) {
  funasr::ScopedNumThreads nt(threads);
  funasr::layers::Workspace ws;
  // The output 64-byte aligned like the models' buffers: row kernels (LayerNorm's Eigen
  // reductions) may round differently at another alignment, and the encoder works in y.
  funasr::layers::Workspace buffers;
  const int64_t n = seqs.total_rows() * enc.config().output_size;
  float* y = buffers.Floats(n);
  std::fill(y, y + n, -7.f);
  enc.Forward(x.data(), seqs, y, ws, first, other);
  return std::vector<float>(y, y + n);
}

class SanmEncoderThreads : public ::testing::TestWithParam<bool> {};

TEST_P(SanmEncoderThreads, EveryThreadCountGivesTheSameBits) {
  const bool int8 = GetParam();
  const Encoder e = MakeEncoder(int8);
  std::mt19937 rng(3);
  std::normal_distribution<float> nd;
  // One long sequence; a batch whose row blocks (2 or 3 of them) cut through sequences,
  // including one shorter than the FSMN kernel; a batch too short to split.
  const std::vector<std::vector<int64_t>> batches = {{160}, {70, 5, 41, 33}, {20}};
  for (const auto& lengths : batches) {
    const PackedSequences seqs(lengths);
    std::vector<float> x(static_cast<size_t>(seqs.total_rows() * 560));
    for (float& v : x) v = nd(rng);
    const auto causal = CausalMasks(seqs);
    AttentionMasks masks;
    for (const auto& m : causal) masks.push_back(m.data());
    for (bool masked : {false, true}) {
      const AttentionMasks none;
      const AttentionMasks& first = masked ? masks : none;
      const std::vector<float> one = Encode(e.encoder, x, seqs, 1, first, none);
      for (float v : one) ASSERT_TRUE(std::isfinite(v));
      for (int threads : {2, 3}) {
        const std::vector<float> many = Encode(e.encoder, x, seqs, threads, first, none);
        EXPECT_EQ("", funasr_test::BitDifference(one, many))
            << (int8 ? "int8" : "fp32") << ", " << lengths.size() << " sequences, "
            << threads << " threads" << (masked ? ", causal first layer" : "");
      }
      // Masks on the other layers as well (CT-Transformer realtime's VAD mask position).
      const std::vector<float> one_all = Encode(e.encoder, x, seqs, 1, first, first);
      const std::vector<float> two_all = Encode(e.encoder, x, seqs, 2, first, first);
      EXPECT_EQ("", funasr_test::BitDifference(one_all, two_all)) << "masks on every layer";
      if (masked) {
        EXPECT_NE("", funasr_test::BitDifference(one, one_all))
            << "the masks on the other layers must change the output";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Weights, SanmEncoderThreads, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? std::string("Int8") : std::string("Fp32");
                         });

}  // namespace
