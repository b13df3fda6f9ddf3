#include "layers/cif_predictor_v3.h"

#include <cstring>

#include "core/threading.h"
#include "kernels/conv1d.h"
#include "kernels/elementwise.h"
#include "layers/cif.h"
#include "layers/linear_loader.h"

namespace funasr::layers {

namespace {

kernels::LstmDirectionWeights LoadLstmDirection(const io::ModelFiles& files,
                                                const std::string& prefix,
                                                const std::string& suffix, int64_t input,
                                                int64_t hidden) {
  kernels::LstmDirectionWeights w;
  w.weight_ih = files.GetF32(prefix + ".weight_ih_l0" + suffix, Shape{4 * hidden, input});
  w.weight_hh = files.GetF32(prefix + ".weight_hh_l0" + suffix, Shape{4 * hidden, hidden});
  w.bias_ih = files.GetF32(prefix + ".bias_ih_l0" + suffix, Shape{4 * hidden});
  w.bias_hh = files.GetF32(prefix + ".bias_hh_l0" + suffix, Shape{4 * hidden});
  return w;
}

}  // namespace

CifPredictorV3 CifPredictorV3::Load(const io::ModelFiles& files, const std::string& prefix,
                                    const CifPredictorConfig& config) {
  CifPredictorV3 p;
  p.base_ = CifPredictorV2::Load(files, prefix, config, CifIntegration::kLoop);
  const int64_t d = config.idim;
  const int64_t u = config.upsample_times;
  if (config.upsample_type == "cnn_blstm") {
    p.use_blstm_ = true;
  } else if (config.upsample_type != "cnn") {
    Fail(ErrorCode::kUnsupported, files.config_path(), ": predictor_conf.upsample_type '",
         config.upsample_type, "' is not supported (cnn or cnn_blstm)");
  }
  p.upsample_weight_ = files.GetF32(prefix + ".upsample_cnn.weight", Shape{d, d, u});
  p.upsample_bias_ = files.GetF32(prefix + ".upsample_cnn.bias", Shape{d});
  if (p.use_blstm_) {
    p.blstm_fwd_ = LoadLstmDirection(files, prefix + ".blstm", "", d, d);
    p.blstm_bwd_ = LoadLstmDirection(files, prefix + ".blstm", "_reverse", d, d);
  }
  p.cif_output2_ = LoadLinear(files, prefix + ".cif_output2", 1, p.use_blstm_ ? 2 * d : d, true,
                              WeightOptions{}, /*allow_int8=*/false);
  return p;
}

// The two directions are independent recurrences: with two or more threads they run side by
// side (each single-threaded, so the result is the same as kernels::BiLstm's).
void CifPredictorV3::RunBiLstm(const float* x, int64_t t, float* y, Workspace& ws) const {
  const int threads = GetNumThreads();
  if (threads < 2) {
    kernels::BiLstm(x, t, blstm_fwd_, blstm_bwd_, y);
    return;
  }
  const int64_t h = blstm_fwd_.hidden_size();
  Workspace::Scope scope(ws);
  float* yf = ws.Floats(t * h);
  float* yb = ws.Floats(t * h);
  ParallelFor(2, 2, [&](int64_t direction) {
    if (direction == 0) {
      kernels::LstmDirection(x, t, blstm_fwd_, /*reverse=*/false, yf, nullptr, nullptr);
    } else {
      kernels::LstmDirection(x, t, blstm_bwd_, /*reverse=*/true, yb, nullptr, nullptr);
    }
  });
  for (int64_t i = 0; i < t; ++i) {
    std::memcpy(y + i * 2 * h, yf + i * h, static_cast<size_t>(h) * sizeof(float));
    std::memcpy(y + i * 2 * h + h, yb + i * h, static_cast<size_t>(h) * sizeof(float));
  }
}

CifTimestampAlphas CifPredictorV3::UpsampledAlphas(const float* hidden, int64_t t,
                                                   int64_t token_num, Workspace& ws) const {
  const CifPredictorConfig& c = base_.config();
  const int64_t d = c.idim;
  const int64_t u = c.upsample_times;
  const int64_t tu = t * u;
  CifTimestampAlphas out;
  out.us_alphas.assign(static_cast<size_t>(tu), 0.f);
  out.us_peaks.assign(static_cast<size_t>(tu), 0.f);
  out.ds_alphas.assign(static_cast<size_t>(t), 0.f);
  out.ds_peaks.assign(static_cast<size_t>(t), 0.f);
  if (t == 0) return out;
  Workspace::Scope scope(ws);
  const float* src = hidden;
  if (c.use_cif1_cnn) {
    float* z = ws.Floats(t * d);
    base_.ConvHidden(hidden, t, z);
    src = z;
  }
  float* up = ws.Floats(tu * d);
  kernels::ConvTranspose1dStrided(src, t, d, upsample_weight_.data<float>(), d, u,
                                  upsample_bias_.data<float>(), up);
  const float* head_in = up;
  if (use_blstm_) {
    float* y = ws.Floats(tu * 2 * d);
    RunBiLstm(up, tu, y, ws);
    head_in = y;
  }
  float* a = out.us_alphas.data();
  kernels::Linear(head_in, tu, cif_output2_, a);
  kernels::Sigmoid(a, tu, a);
  double sum = 0.0;
  for (int64_t i = 0; i < tu; ++i) {
    const float v = a[i] * c.smooth_factor2 - c.noise_threshold2;
    a[i] = v > 0.f ? v : 0.f;
    sum += a[i];
  }
  // alphas2 *= token_num / alphas2.sum(): the ratio in float32, then one multiply.
  // (An all-zero head would give 0/0 in FunASR; keep the zeros instead of NaN.)
  const float ratio = sum > 0.0 ? static_cast<float>(token_num) / static_cast<float>(sum) : 0.f;
  for (int64_t i = 0; i < tu; ++i) a[i] *= ratio;
  for (int64_t i = 0; i < t; ++i) {
    float s = 0.f;
    for (int64_t j = 0; j < u; ++j) s += a[i * u + j];
    out.ds_alphas[static_cast<size_t>(i)] = s;
  }
  // threshold - 1e-4: a Python double, compared against float32 tensors in float32.
  const float peak_threshold = static_cast<float>(static_cast<double>(c.threshold) - 1e-4);
  CifPeaks(out.us_alphas.data(), tu, peak_threshold, out.us_peaks.data());
  CifPeaks(out.ds_alphas.data(), t, peak_threshold, out.ds_peaks.data());
  return out;
}

}  // namespace funasr::layers
