#include "models/vad/fsmn_encoder.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/check.h"
#include "io/model_files.h"
#include "kernels/conv1d.h"
#include "kernels/elementwise.h"

namespace funasr::vad {

namespace {

int RequiredPositive(const io::ConfigReader& c, const std::string& key, bool allow_zero = false) {
  if (!c.Has(key)) c.Fail(key, "missing (the FSMN encoder needs it)");
  const int64_t v = c.GetInt(key, 0);
  if (v < (allow_zero ? 0 : 1) || v > (1 << 20)) c.Fail(key, "out of range: " + std::to_string(v));
  return static_cast<int>(v);
}

}  // namespace

FsmnEncoderConfig FsmnEncoderConfig::FromConfig(const io::ConfigReader& c) {
  FsmnEncoderConfig e;
  e.input_dim = RequiredPositive(c, "input_dim");
  e.input_affine_dim = RequiredPositive(c, "input_affine_dim");
  e.fsmn_layers = RequiredPositive(c, "fsmn_layers", /*allow_zero=*/true);
  e.linear_dim = RequiredPositive(c, "linear_dim");
  e.proj_dim = RequiredPositive(c, "proj_dim");
  e.lorder = RequiredPositive(c, "lorder");
  e.rorder = RequiredPositive(c, "rorder", true);
  e.lstride = RequiredPositive(c, "lstride");
  e.rstride = RequiredPositive(c, "rstride", true);
  e.output_affine_dim = RequiredPositive(c, "output_affine_dim");
  e.output_dim = RequiredPositive(c, "output_dim");
  e.use_softmax = c.GetBool("use_softmax", true);
  // FunASR applies a look-ahead memory (rorder > 0) with zero padding at every chunk edge;
  // no released FSMN-VAD has one, so it is not implemented rather than half-matched.
  FUNASR_CHECK(e.rorder == 0, ErrorCode::kUnsupported, c.file(),
               ": encoder_conf.rorder = ", e.rorder,
               " (look-ahead FSMN memory) is not supported; released FSMN-VAD models use 0");
  return e;
}

FsmnEncoder::FsmnEncoder(const FsmnEncoderConfig& config, const io::ModelFiles& files)
    : config_(config) {
  const auto& c = config_;
  in_linear1_ = files.GetLinear("encoder.in_linear1.linear", c.input_affine_dim, c.input_dim);
  in_linear2_ = files.GetLinear("encoder.in_linear2.linear", c.linear_dim, c.input_affine_dim);
  out_linear1_ =
      files.GetLinear("encoder.out_linear1.linear", c.output_affine_dim, c.linear_dim);
  out_linear2_ = files.GetLinear("encoder.out_linear2.linear", c.output_dim, c.output_affine_dim);
  // A dilated memory (lstride > 1) is the plain depthwise convolution whose taps sit every
  // lstride frames with zeros between them: kernel length memory_frames() + 1.
  const int taps = c.memory_frames() + 1;
  for (int l = 0; l < c.fsmn_layers; ++l) {
    const std::string p = "encoder.fsmn." + std::to_string(l);
    Block b;
    b.linear = files.GetLinear(p + ".linear.linear", c.proj_dim, c.linear_dim, /*has_bias=*/false);
    b.affine = files.GetLinear(p + ".affine.linear", c.linear_dim, c.proj_dim);
    Tensor w = files.GetF32(p + ".fsmn_block.conv_left.weight",
                            Shape{c.proj_dim, 1, c.lorder, 1});
    std::vector<float> dilated(static_cast<size_t>(c.proj_dim) * taps, 0.f);
    const float* src = w.data<float>();
    for (int ch = 0; ch < c.proj_dim; ++ch)
      for (int k = 0; k < c.lorder; ++k)
        dilated[static_cast<size_t>(ch) * taps + k * c.lstride] = src[ch * c.lorder + k];
    b.memory_taps = kernels::TapMajorWeights(dilated.data(), c.proj_dim, taps);
    kernels::PrepareLinear(b.linear);
    kernels::PrepareLinear(b.affine);
    blocks_.push_back(std::move(b));
  }
  kernels::PrepareLinear(in_linear1_);
  kernels::PrepareLinear(in_linear2_);
  kernels::PrepareLinear(out_linear1_);
  kernels::PrepareLinear(out_linear2_);
}

FsmnCache FsmnEncoder::NewCache() const {
  FsmnCache cache;
  cache.memory.assign(static_cast<size_t>(config_.fsmn_layers),
                      std::vector<float>(static_cast<size_t>(config_.memory_frames()) *
                                             config_.proj_dim,
                                         0.f));
  return cache;
}

void FsmnEncoder::Forward(const float* x, int64_t t, FsmnCache* cache, float* out) const {
  const auto& c = config_;
  FUNASR_CHECK(cache && cache->memory.size() == static_cast<size_t>(c.fsmn_layers),
               ErrorCode::kInternal, "FsmnEncoder: cache does not belong to this model");
  if (t <= 0) return;
  const int64_t hist = c.memory_frames();
  const int64_t taps = hist + 1;
  auto& a = cache->a;
  auto& h = cache->b;
  auto& proj = cache->proj;
  auto& mem = cache->mem;
  a.resize(static_cast<size_t>(t) * std::max(c.input_affine_dim, c.output_affine_dim));
  h.resize(static_cast<size_t>(t) * c.linear_dim);
  proj.resize(static_cast<size_t>(t) * c.proj_dim);
  mem.resize(static_cast<size_t>(t + hist) * c.proj_dim * 2);
  float* joined = mem.data();                                 // [hist + t, proj]: history ++ p
  float* conv = mem.data() + (t + hist) * c.proj_dim;         // [hist + t, proj]

  kernels::Linear(x, t, in_linear1_, a.data());
  kernels::Linear(a.data(), t, in_linear2_, h.data());
  kernels::Relu(h.data(), t * c.linear_dim, h.data());
  for (int l = 0; l < c.fsmn_layers; ++l) {
    const Block& b = blocks_[static_cast<size_t>(l)];
    std::vector<float>& history = cache->memory[static_cast<size_t>(l)];
    kernels::Linear(h.data(), t, b.linear, proj.data());
    std::memcpy(joined, history.data(), sizeof(float) * hist * c.proj_dim);
    std::memcpy(joined + hist * c.proj_dim, proj.data(), sizeof(float) * t * c.proj_dim);
    // Output row i only reads joined rows i .. i + hist, i.e. p_{i-hist} .. p_i.
    kernels::DepthwiseConv1dTapMajor(joined, t + hist, c.proj_dim, b.memory_taps.data(), taps,
                                     0, conv);
    kernels::Add(proj.data(), conv, t * c.proj_dim, proj.data());
    std::memcpy(history.data(), joined + t * c.proj_dim, sizeof(float) * hist * c.proj_dim);
    kernels::Linear(proj.data(), t, b.affine, h.data());
    kernels::Relu(h.data(), t * c.linear_dim, h.data());
  }
  kernels::Linear(h.data(), t, out_linear1_, a.data());
  kernels::Linear(a.data(), t, out_linear2_, out);
  if (c.use_softmax) kernels::Softmax(out, t, c.output_dim, out);
}

}  // namespace funasr::vad
