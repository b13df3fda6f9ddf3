// layers::ParaformerSanmDecoder thread schedules. With several threads, ForwardHidden runs
// the row-block schedule (parallel steps only where rows mix: FSMN, cross-attention heads)
// when every projection gives the same rows in blocks (int8; fp32 on the packed kernel);
// with one thread, one parallel step per operation. Both must give bit-identical results for every thread count, on all three
// layer kinds (decoders, decoders2, decoders3), with one memory per token sequence or one
// shared memory, and on packed batches whose row blocks cut through sequences.
#include "layers/paraformer_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/threading.h"
#include "io/model_contents.h"
#include "kernels_test_util.h"

namespace {

using funasr::DType;
using funasr::Shape;
using funasr::Tensor;
using funasr::layers::PackedSequences;
using funasr::layers::ParaformerSanmDecoder;

constexpr int64_t kD = 128, kFfn = 256, kMemory = 96, kKernel = 11;

class RandomTensors {
 public:
  explicit RandomTensors(funasr::io::ModelContents& m) : m_(m), rng_(7) {}
  // Normal values scaled by 1/sqrt(fan_in) (weights) or around 1 (LayerNorm gains), so that
  // activations keep their size through the layers.
  void Add(const std::string& name, const Shape& shape, float scale, float mean = 0.f) {
    Tensor t = Tensor::Zeros(DType::kF32, shape);
    std::normal_distribution<float> nd(mean, scale);
    for (int64_t i = 0; i < t.numel(); ++i) t.mutable_data<float>()[i] = nd(rng_);
    m_.Add(name, {t, Tensor()});
  }
  void Linear(const std::string& p, int64_t out, int64_t in, bool bias = true) {
    Add(p + ".weight", {out, in}, 1.f / std::sqrt(static_cast<float>(in)));
    if (bias) Add(p + ".bias", {out}, 0.1f);
  }
  void Norm(const std::string& p, int64_t dim) {
    Add(p + ".weight", {dim}, 0.1f, 1.f);
    Add(p + ".bias", {dim}, 0.1f);
  }
  void Layer(const std::string& p, bool self_attn, bool src_attn) {
    Norm(p + ".norm1", kD);
    Linear(p + ".feed_forward.w_1", kFfn, kD);
    Norm(p + ".feed_forward.norm", kFfn);
    Linear(p + ".feed_forward.w_2", kD, kFfn, /*bias=*/false);
    if (self_attn) {
      Norm(p + ".norm2", kD);
      Add(p + ".self_attn.fsmn_block.weight", {kD, 1, kKernel}, 0.3f);
    }
    if (src_attn) {
      Norm(p + ".norm3", kD);
      Linear(p + ".src_attn.linear_q", kD, kD);
      Linear(p + ".src_attn.linear_k_v", 2 * kD, kMemory);
      Linear(p + ".src_attn.linear_out", kD, kD);
    }
  }

 private:
  funasr::io::ModelContents& m_;
  std::mt19937 rng_;
};

struct Decoder {
  std::shared_ptr<const funasr::io::ModelFiles> files;
  ParaformerSanmDecoder decoder;
};

// 3 decoders (FFN + FSMN + cross-attention), 2 decoders2 (FFN + FSMN), decoders3 (FFN).
Decoder MakeDecoder(bool int8) {
  funasr::io::ModelContents m;
  m.path = "<test>";
  m.config_path = "<test>/config.yaml";
  m.model_class = "Test";
  RandomTensors r(m);
  for (int l = 0; l < 3; ++l) r.Layer("dec.decoders." + std::to_string(l), true, true);
  for (int l = 0; l < 2; ++l) r.Layer("dec.decoders2." + std::to_string(l), true, false);
  r.Layer("dec.decoders3.0", false, false);
  r.Norm("dec.after_norm", kD);
  Decoder d;
  d.files = funasr::io::MakeModelFiles(std::move(m));
  funasr::layers::ParaformerDecoderConfig c;
  c.vocab_size = 16;
  c.d_model = kD;
  c.memory_features = kMemory;
  c.attention_heads = 4;
  c.linear_units = kFfn;
  c.num_blocks = 5;
  c.att_layer_num = 3;
  c.kernel_size = kKernel;
  c.sanm_shift = 0;
  c.use_output_layer = false;
  funasr::layers::WeightOptions w;
  w.quantize_int8 = int8;
  d.decoder = ParaformerSanmDecoder::Load(*d.files, "dec", c, w);
  return d;
}

std::vector<float> Decode(const ParaformerSanmDecoder& dec, const std::vector<float>& embeds,
                          const PackedSequences& tokens, const std::vector<float>& memory,
                          const PackedSequences& frames, int threads) {
  funasr::ScopedNumThreads nt(threads);
  funasr::layers::Workspace ws;
  // 64-byte aligned like the models' buffers (row kernels may round differently at another
  // alignment).
  funasr::layers::Workspace buffers;
  const int64_t n = tokens.total_rows() * kD;
  float* hidden = buffers.Floats(n);
  std::copy(embeds.begin(), embeds.end(), hidden);
  dec.ForwardHidden(hidden, tokens, memory.data(), frames, hidden, ws);
  return std::vector<float>(hidden, hidden + n);
}

class ParaformerDecoderThreads : public ::testing::TestWithParam<bool> {};

TEST_P(ParaformerDecoderThreads, EveryThreadCountGivesTheSameBits) {
  const bool int8 = GetParam();
  const Decoder d = MakeDecoder(int8);
  std::mt19937 rng(3);
  std::normal_distribution<float> nd;
  struct Case {
    std::vector<int64_t> tokens, frames;
  };
  // One utterance; a batch with a memory per utterance whose row blocks cut through
  // sequences (one shorter than the FSMN kernel); one memory shared by every sequence (as
  // SeACo's hotword decoder); a batch too short to split.
  const std::vector<Case> cases = {{{100}, {300}},
                                   {{41, 5, 30, 26}, {120, 15, 90, 80}},
                                   {{20, 17, 9}, {60}},
                                   {{20}, {50}}};
  for (const Case& c : cases) {
    const PackedSequences tokens(c.tokens), frames(c.frames);
    std::vector<float> embeds(static_cast<size_t>(tokens.total_rows() * kD));
    std::vector<float> memory(static_cast<size_t>(frames.total_rows() * kMemory));
    for (float& v : embeds) v = nd(rng);
    for (float& v : memory) v = nd(rng);
    const std::vector<float> one = Decode(d.decoder, embeds, tokens, memory, frames, 1);
    for (float v : one) ASSERT_TRUE(std::isfinite(v));
    for (int threads : {2, 3}) {
      const std::vector<float> many = Decode(d.decoder, embeds, tokens, memory, frames, threads);
      EXPECT_EQ("", funasr_test::BitDifference(one, many))
          << (int8 ? "int8" : "fp32") << ", " << c.tokens.size() << " sequences, "
          << c.frames.size() << " memories, " << threads << " threads";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Weights, ParaformerDecoderThreads, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? std::string("Int8") : std::string("Fp32");
                         });

}  // namespace
