// CifPredictorV3: FunASR's BiCif predictor (funasr/models/bicif_paraformer/cif_predictor.py,
// paraformer-pipeline.md §3.5). The token-count / embedding path is CifPredictorV2's alpha
// head integrated with the loop form of CIF; in addition a timestamp head predicts alphas at
// `upsample_times` x the encoder frame rate:
//   src = h  (use_cif1_cnn = false)  or  ReLU(conv(pad(h)))  (true)
//   u   = ConvTranspose1d(src), kernel = stride = upsample_times       [U*T, idim]
//   y   = BiLSTM(u) [U*T, 2*idim]   (upsample_type cnn_blstm; "cnn" skips it)
//   α2  = ReLU(sigmoid(cif_output2(y)) * smooth_factor2 - noise_threshold2)
//   α2 *= N / Σα2                     (N = the decoder's integer token count)
//   us_peaks = CifPeaks(α2, threshold - 1e-4); ds_alphas = sums of U consecutive α2,
//   ds_peaks = CifPeaks(ds_alphas, threshold - 1e-4)
// us_alphas / us_peaks feed the token timestamps (ts_prediction_lfr6_standard).
// Extra weights (prefix "predictor"): upsample_cnn.weight [idim, idim, U] (+ bias),
// blstm.{weight_ih,weight_hh,bias_ih,bias_hh}_l0[_reverse], cif_output2 [1, 2*idim or idim].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/model_files.h"
#include "kernels/linear.h"
#include "kernels/lstm.h"
#include "layers/cif_predictor.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct CifTimestampAlphas {
  std::vector<float> us_alphas;  // [U*T] upsampled alphas, rescaled to sum to N
  std::vector<float> us_peaks;   // [U*T]
  std::vector<float> ds_alphas;  // [T]   re-downsampled (unused by inference)
  std::vector<float> ds_peaks;   // [T]
};

class CifPredictorV3 {
 public:
  CifPredictorV3() = default;
  static CifPredictorV3 Load(const io::ModelFiles& files, const std::string& prefix,
                             const CifPredictorConfig& config);

  // Token count and acoustic embeddings, as CifPredictorV2 but with the loop CIF.
  CifPrediction Predict(const float* hidden, int64_t t, Workspace& ws) const {
    return base_.Predict(hidden, t, ws);
  }
  // FunASR get_upsample_timestamp(hidden, mask, token_num) for one sequence.
  CifTimestampAlphas UpsampledAlphas(const float* hidden, int64_t t, int64_t token_num,
                                     Workspace& ws) const;

  const CifPredictorV2& base() const { return base_; }
  const CifPredictorConfig& config() const { return base_.config(); }

 private:
  void RunBiLstm(const float* x, int64_t t, float* y, Workspace& ws) const;

  CifPredictorV2 base_;
  Tensor upsample_weight_;  // [idim, idim, U] (ConvTranspose1d layout: in, out, k)
  Tensor upsample_bias_;    // [idim]
  bool use_blstm_ = false;
  kernels::LstmDirectionWeights blstm_fwd_;
  kernels::LstmDirectionWeights blstm_bwd_;
  kernels::LinearWeights cif_output2_;  // fp32
};

}  // namespace funasr::layers
