#include "layers/cif_predictor.h"

#include <cmath>

#include "kernels/conv1d.h"
#include "kernels/elementwise.h"
#include "layers/cif.h"
#include "layers/linear_loader.h"

namespace funasr::layers {

CifPredictorConfig CifPredictorConfig::FromConfig(const io::ConfigReader& conf) {
  CifPredictorConfig c;
  c.idim = conf.GetInt("idim", c.idim);
  c.l_order = conf.GetInt("l_order", c.l_order);
  c.r_order = conf.GetInt("r_order", c.r_order);
  c.threshold = static_cast<float>(conf.GetDouble("threshold", 1.0));
  c.smooth_factor = static_cast<float>(conf.GetDouble("smooth_factor", 1.0));
  c.noise_threshold = static_cast<float>(conf.GetDouble("noise_threshold", 0.0));
  c.tail_threshold = static_cast<float>(conf.GetDouble("tail_threshold", 0.0));
  c.smooth_factor2 = static_cast<float>(conf.GetDouble("smooth_factor2", 1.0));
  c.noise_threshold2 = static_cast<float>(conf.GetDouble("noise_threshold2", 0.0));
  c.upsample_times = conf.GetInt("upsample_times", 5);
  c.upsample_type = conf.GetString("upsample_type", "cnn");
  c.use_cif1_cnn = conf.GetBool("use_cif1_cnn", true);
  if (c.idim <= 0) conf.Fail("idim", "must be positive");
  if (c.l_order < 0) conf.Fail("l_order", "must not be negative");
  if (c.r_order < 0) conf.Fail("r_order", "must not be negative");
  if (!(c.threshold > 0.f)) conf.Fail("threshold", "must be positive");
  if (c.upsample_times < 1) conf.Fail("upsample_times", "must be at least 1");
  return c;
}

CifPredictorV2 CifPredictorV2::Load(const io::ModelFiles& files, const std::string& prefix,
                                    const CifPredictorConfig& config,
                                    CifIntegration integration) {
  CifPredictorV2 p;
  p.config_ = config;
  p.integration_ = integration;
  const int64_t d = config.idim;
  const int64_t k = config.l_order + config.r_order + 1;
  p.conv_weight_ = files.GetF32(prefix + ".cif_conv1d.weight", Shape{d, d, k});
  p.conv_bias_ = files.GetF32(prefix + ".cif_conv1d.bias", Shape{d});
  p.cif_output_ = LoadLinear(files, prefix + ".cif_output", 1, d, true, WeightOptions{},
                             /*allow_int8=*/false);
  return p;
}

void CifPredictorV2::ConvHidden(const float* hidden, int64_t t, float* z) const {
  const int64_t d = config_.idim;
  const int64_t k = config_.l_order + config_.r_order + 1;
  kernels::Conv1d(hidden, t, d, conv_weight_.data<float>(), d, k, conv_bias_.data<float>(),
                  config_.l_order, config_.r_order, z);
  kernels::Relu(z, t * d, z);
}

void CifPredictorV2::Alphas(const float* hidden, int64_t t, float* alphas,
                            Workspace& ws) const {
  if (t == 0) return;
  Workspace::Scope scope(ws);
  float* z = ws.Floats(t * config_.idim);
  ConvHidden(hidden, t, z);
  kernels::Linear(z, t, cif_output_, alphas);
  kernels::Sigmoid(alphas, t, alphas);
  for (int64_t i = 0; i < t; ++i) {
    const float a = alphas[i] * config_.smooth_factor - config_.noise_threshold;
    alphas[i] = a > 0.f ? a : 0.f;
  }
}

CifPrediction CifPredictorV2::Predict(const float* hidden, int64_t t, Workspace& ws) const {
  const int64_t d = config_.idim;
  const bool tail = config_.tail_threshold > 0.f;
  CifPrediction out;
  const int64_t len = t + (tail ? 1 : 0);
  out.alphas.assign(static_cast<size_t>(len), 0.f);
  out.peaks.assign(static_cast<size_t>(len), 0.f);
  Alphas(hidden, t, out.alphas.data(), ws);
  // tail_process_fn: the appended frame gets 0 + tail_threshold (float32), hidden row zero.
  if (tail) out.alphas[static_cast<size_t>(t)] = 0.f + config_.tail_threshold;
  double sum = 0.0;
  for (float a : out.alphas) sum += a;
  out.alpha_sum = static_cast<float>(sum);
  // With a tail FunASR floors the sum (tail_process_fn) and rounds afterwards (a no-op);
  // without one it rounds (half to even, torch.round).
  const float n = tail ? std::floor(out.alpha_sum) : std::nearbyint(out.alpha_sum);
  out.token_num = n > 0.f ? static_cast<int64_t>(n) : 0;
  out.embeds.assign(static_cast<size_t>(out.token_num * d), 0.f);
  if (integration_ == CifIntegration::kPrefixSum) {
    CifPrefixSum(hidden, t, d, out.alphas.data(), len, out.token_num, out.embeds.data(),
                 out.peaks.data());
  } else {
    CifLoop(hidden, t, d, out.alphas.data(), len, config_.threshold, out.token_num,
            out.embeds.data(), out.peaks.data());
  }
  return out;
}

}  // namespace funasr::layers
