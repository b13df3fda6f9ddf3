// CifPredictorV2: FunASR's CIF predictor (funasr/models/paraformer/cif_predictor.py,
// paraformer-pipeline.md §3.1-3.4). Per sequence of encoder frames h [T, idim]:
//   z = ReLU(Conv1d_{idim->idim, k = l+r+1}(zero-pad(h, l_order, r_order)) + b)   (full conv)
//   α = ReLU(sigmoid(cif_output(z)) * smooth_factor - noise_threshold)
//   tail (tail_threshold > 0): α gets one more frame α_T = tail_threshold whose hidden
//        vector is zero; token_num = floor(Σα)   (otherwise token_num = round(Σα))
//   acoustic embeddings = CIF(h, α) (cif.h), truncated / zero-padded to token_num rows.
// The whole predictor stays fp32 (it decides the token count). Weights relative to the
// prefix ("predictor"): cif_conv1d.weight [idim, idim, k], cif_conv1d.bias [idim],
// cif_output.weight [1, idim], cif_output.bias [1].
//
// CifPredictorV3 (cif_predictor_v3.h) shares the alpha head and integrates with the loop
// form; `integration` selects between them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/model_files.h"
#include "kernels/linear.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct CifPredictorConfig {
  int64_t idim = 512;            // predictor_conf.idim (encoder output size)
  int64_t l_order = 1;           // predictor_conf.l_order (left context of the conv)
  int64_t r_order = 1;           // predictor_conf.r_order (right context)
  float threshold = 1.0f;        // predictor_conf.threshold (firing threshold)
  float smooth_factor = 1.0f;    // predictor_conf.smooth_factor
  float noise_threshold = 0.0f;  // predictor_conf.noise_threshold
  float tail_threshold = 0.0f;   // predictor_conf.tail_threshold (released: 0.45)
  // CifPredictorV3 only (timestamp head, §3.5):
  float smooth_factor2 = 1.0f;        // predictor_conf.smooth_factor2 (released 0.25)
  float noise_threshold2 = 0.0f;      // predictor_conf.noise_threshold2 (released 0.01)
  int64_t upsample_times = 5;         // predictor_conf.upsample_times (released 3)
  std::string upsample_type = "cnn";  // predictor_conf.upsample_type: cnn | cnn_blstm
  bool use_cif1_cnn = true;           // predictor_conf.use_cif1_cnn (released false)

  // Reads `predictor_conf` with the defaults of FunASR's constructors.
  static CifPredictorConfig FromConfig(const io::ConfigReader& predictor_conf);
};

// One sequence's predictor output (FunASR's acoustic_embeds, token_num, alphas, cif_peak).
struct CifPrediction {
  std::vector<float> alphas;  // [T+1] with the tail frame (tail_threshold > 0), else [T]
  std::vector<float> peaks;   // same length as alphas
  float alpha_sum = 0.f;      // Σ alphas (float32, tail included)
  int64_t token_num = 0;      // number of acoustic embeddings = decoder length N
  std::vector<float> embeds;  // [token_num, idim]
};

enum class CifIntegration {
  kPrefixSum,  // cif_v1 (CifPredictorV2)
  kLoop,       // cif    (CifPredictorV3)
};

class CifPredictorV2 {
 public:
  CifPredictorV2() = default;
  static CifPredictorV2 Load(const io::ModelFiles& files, const std::string& prefix,
                             const CifPredictorConfig& config,
                             CifIntegration integration = CifIntegration::kPrefixSum);

  // One sequence of encoder frames hidden [t, idim].
  CifPrediction Predict(const float* hidden, int64_t t, Workspace& ws) const;

  // z = ReLU(conv(pad(h))) [t, idim] (the predictor's hidden layer; V3's timestamp head may
  // read it).
  void ConvHidden(const float* hidden, int64_t t, float* z) const;
  // α [t] before the tail (after sigmoid, smoothing and noise threshold).
  void Alphas(const float* hidden, int64_t t, float* alphas, Workspace& ws) const;

  const CifPredictorConfig& config() const { return config_; }

 private:
  CifPredictorConfig config_;
  CifIntegration integration_ = CifIntegration::kPrefixSum;
  Tensor conv_weight_;  // [idim, idim, k]
  Tensor conv_bias_;    // [idim]
  kernels::LinearWeights cif_output_;  // [1, idim], fp32
};

}  // namespace funasr::layers
