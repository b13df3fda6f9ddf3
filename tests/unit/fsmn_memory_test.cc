// layers::FsmnMemoryBlock: y = DepthwiseConv1d(pad(x)) + x with FunASR's padding
// (left (K-1)/2 + sanm_shfit), against a naive reference; the time-blocked multi-thread path
// is bit-identical to the single call.
#include "layers/fsmn_memory.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/threading.h"
#include "io/model_contents.h"

namespace {

std::shared_ptr<const funasr::io::ModelFiles> Files(int64_t c, int64_t k, std::mt19937& rng) {
  funasr::io::ModelContents m;
  m.path = "<test>";
  m.config_path = "<test>/config.yaml";
  m.model_class = "Test";
  funasr::Tensor w = funasr::Tensor::Zeros(funasr::DType::kF32, {c, 1, k});
  std::normal_distribution<float> nd;
  for (int64_t i = 0; i < w.numel(); ++i) w.mutable_data<float>()[i] = nd(rng);
  m.Add("fsmn.weight", {w, funasr::Tensor()});
  return funasr::io::MakeModelFiles(std::move(m));
}

TEST(FsmnMemoryBlock, MatchesReferenceAndThreadCounts) {
  std::mt19937 rng(5);
  std::normal_distribution<float> nd;
  for (const auto& [t, c, k, shift] : {std::tuple<int64_t, int64_t, int64_t, int64_t>{1000, 512, 11, 0},
                                       {333, 256, 11, 5}, {7, 128, 11, 0}, {900, 128, 21, 0}}) {
    auto files = Files(c, k, rng);
    const auto block = funasr::layers::FsmnMemoryBlock::Load(*files, "fsmn.weight", c, k, shift);
    std::vector<float> x(static_cast<size_t>(t * c));
    for (float& v : x) v = nd(rng);
    const float* w = files->GetTensor("fsmn.weight").data<float>();
    const int64_t left = (k - 1) / 2 + shift;
    double err = 0;
    std::vector<std::vector<float>> ys;
    for (int threads : {1, 2, 3}) {
      funasr::ScopedNumThreads nt(threads);
      funasr::layers::Workspace ws;
      std::vector<float> y(x.size(), -1.f);
      block.Forward(x.data(), t, y.data(), &ws);
      ys.push_back(y);
    }
    for (int64_t i = 0; i < t; ++i) {
      for (int64_t ch = 0; ch < c; ++ch) {
        double acc = x[i * c + ch];
        for (int64_t j = 0; j < k; ++j) {
          const int64_t s = i + j - left;
          if (s >= 0 && s < t) acc += double(w[ch * k + j]) * x[s * c + ch];
        }
        err = std::max(err, std::fabs(acc - ys[0][i * c + ch]));
      }
    }
    std::printf("T=%lld C=%lld K=%lld shift=%lld: max abs err %.3g\n", (long long)t,
                (long long)c, (long long)k, (long long)shift, err);
    EXPECT_LT(err, 1e-4);
    EXPECT_EQ(ys[1], ys[0]);
    EXPECT_EQ(ys[2], ys[0]);
  }
}

}  // namespace
