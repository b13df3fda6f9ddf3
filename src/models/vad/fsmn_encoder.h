// The FSMN network of FSMN-VAD (FunASR `FSMN` encoder, spec §3.2-§3.3): LFR+CMVN features
// [T, 400] in, per-frame posteriors over 248 pdfs out.
//
//   h = ReLU(W_in2 (W_in1 x + b_in1) + b_in2)
//   4 x { p = P h;  m_t = p_t + sum_k C[k] * p_{t-(lorder-1-k)*lstride};  h = ReLU(A m + a) }
//   y = softmax(W_out2 (W_out1 h + b_out1) + b_out2)
//
// The memory blocks only look back, so a stream is processed chunk by chunk with the last
// (lorder-1)*lstride projected frames of each block carried in an FsmnCache; the output is
// then identical to one pass over the whole input (FunASR's `cache_layer_{l}`).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/linear.h"

namespace funasr::io {
class ConfigReader;
class ModelFiles;
}  // namespace funasr::io

namespace funasr::vad {

// encoder_conf of config.yaml (FunASR FSMN constructor arguments; released values).
struct FsmnEncoderConfig {
  int input_dim = 400;
  int input_affine_dim = 140;
  int fsmn_layers = 4;
  int linear_dim = 250;
  int proj_dim = 128;
  int lorder = 20;
  int rorder = 0;
  int lstride = 1;
  int rstride = 0;
  int output_affine_dim = 140;
  int output_dim = 248;
  bool use_softmax = true;

  // FunASR's FSMN has no defaults for these, so every key except use_softmax is required.
  // Throws FormatError naming the missing/bad key, Unsupported for rorder > 0 (no released
  // VAD has a look-ahead memory).
  static FsmnEncoderConfig FromConfig(const io::ConfigReader& encoder_conf);
  // Frames of history each memory block needs.
  int memory_frames() const { return (lorder - 1) * lstride; }
};

// Per-stream state: the memory of every block plus reusable scratch buffers.
struct FsmnCache {
  std::vector<std::vector<float>> memory;  // per block [memory_frames, proj_dim], zeros at start
  std::vector<float> a, b, proj, mem;      // scratch
};

class FsmnEncoder {
 public:
  // Reads the "encoder.*" tensors (checked against `config`).
  FsmnEncoder(const FsmnEncoderConfig& config, const io::ModelFiles& files);

  const FsmnEncoderConfig& config() const { return config_; }
  FsmnCache NewCache() const;

  // x [t, input_dim] -> out [t, output_dim]; advances `cache`. t may be 0. Thread-safe for
  // distinct caches.
  void Forward(const float* x, int64_t t, FsmnCache* cache, float* out) const;

 private:
  struct Block {
    kernels::LinearWeights linear;  // linear_dim -> proj_dim, no bias
    std::vector<float> memory_taps;  // conv_left, dilated, tap-major [taps, proj_dim]
    kernels::LinearWeights affine;  // proj_dim -> linear_dim
  };

  FsmnEncoderConfig config_;
  kernels::LinearWeights in_linear1_, in_linear2_, out_linear1_, out_linear2_;
  std::vector<Block> blocks_;
};

}  // namespace funasr::vad
