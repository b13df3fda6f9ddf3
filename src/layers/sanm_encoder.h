// SanmEncoder: FunASR's SANMEncoder (funasr/models/sanm/encoder.py), the encoder of the
// Paraformer family and of CT-Transformer punctuation (paraformer-pipeline.md §2):
//   x = x * sqrt(output_size)            (always, before the input layer)
//   x = x + PE(x)                        (input_layer "pe": sinusoidal encoding over the
//                                         *input* width, positions 1..T per sequence)
//   x = encoders0.0(x)                   (input_size -> output_size; residual only when equal)
//   x = encoders.i(x), i = 0..num_blocks-2
//   x = after_norm(x)
// normalize_before = true, concat_after = false, selfattention_layer_type "sanm" only (every
// released model); other values are refused at load with the key named.
//
// For SANMVadEncoder (CT-Transformer realtime) the layers are the same; it differs only in
// its attention masks (no-future mask on encoders0, VAD mask on the others), which Forward
// takes per layer group, and in sanm_shfit (config).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/model_files.h"
#include "layers/layer_norm.h"
#include "layers/linear_loader.h"
#include "layers/packed_sequences.h"
#include "layers/sanm_encoder_layer.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct SanmEncoderConfig {
  int64_t input_size = 560;       // width of the input features (FunASR passes it, not a key)
  int64_t output_size = 256;      // encoder_conf.output_size (d_model)
  int64_t attention_heads = 4;    // encoder_conf.attention_heads
  int64_t linear_units = 2048;    // encoder_conf.linear_units (FFN width)
  int64_t num_blocks = 6;         // encoder_conf.num_blocks (encoders0 + num_blocks-1 layers)
  int64_t kernel_size = 11;       // encoder_conf.kernel_size (FSMN)
  int64_t sanm_shift = 0;         // encoder_conf.sanm_shfit (sic)
  bool positional_encoding = true;  // input_layer "pe" (true) or null (false)

  // Reads `encoder_conf` with SANMEncoder's constructor defaults; throws FormatError /
  // Unsupported naming the key for values this implementation does not support.
  static SanmEncoderConfig FromConfig(const io::ConfigReader& encoder_conf, int64_t input_size);
};

class SanmEncoder {
 public:
  SanmEncoder() = default;
  // prefix is the module name ("encoder"): reads <prefix>.encoders0.0.*, <prefix>.encoders.i.*,
  // <prefix>.after_norm.*.
  static SanmEncoder Load(const io::ModelFiles& files, const std::string& prefix,
                          const SanmEncoderConfig& config, const WeightOptions& options);

  // x [rows, input_size] (packed by seqs) -> y [rows, output_size]. x is not modified.
  // first_layer_masks applies to encoders0, other_layer_masks to the rest (see
  // sanm_attention.h; empty = padding only, FunASR SANMEncoder).
  //
  // Threads: with int8 weights, two threads or more and kMinRowsPerBlock rows per thread
  // or more, each thread owns one contiguous block of rows and a layer is two parallel
  // steps: the steps that mix rows (the FSMN memory on the thread's rows, attention heads
  // claimed in turn), then everything row-wise from the attention output projection
  // through the FFN to the next layer's q/k/v projection, on the thread's own rows. That
  // is 2 steps per layer instead of about 9 (one per operation), and each thread's
  // activations stay in its own core's cache between operations. int8 results do not
  // depend on how rows are grouped into GEMM calls (exact integer sums, per-row scales);
  // fp32 GEMM kernels may round differently for another row count, so fp32 keeps the
  // per-operation schedule. Results are bit-identical for any thread count either way.
  void Forward(const float* x, const PackedSequences& seqs, float* y, Workspace& ws,
               const AttentionMasks& first_layer_masks = {},
               const AttentionMasks& other_layer_masks = {}) const;

  // Building blocks for callers that need to interleave their own work.
  // x = x * sqrt(output_size) (+ PE), in place on [rows, input_size].
  void Embed(float* x, const PackedSequences& seqs) const;
  int64_t num_layers() const { return static_cast<int64_t>(layers_.size()); }
  // Layer 0 is encoders0.0, layer i > 0 is encoders.(i-1).
  const SanmEncoderLayer& layer(int64_t i) const { return layers_[static_cast<size_t>(i)]; }
  const LayerNorm& after_norm() const { return after_norm_; }
  const SanmEncoderConfig& config() const { return config_; }

 private:
  // Forward with the rows split into `blocks` >= 2 contiguous blocks, one per thread, and two
  // parallel steps per layer instead of one per operation (see Forward).
  void ForwardRowBlocks(const float* e, const PackedSequences& seqs, float* y, Workspace& ws,
                        const AttentionMasks& first_layer_masks,
                        const AttentionMasks& other_layer_masks, int64_t blocks) const;

  // Below this many rows per thread the row blocks are too small for the GEMM kernels.
  static constexpr int64_t kMinRowsPerBlock = 16;

  SanmEncoderConfig config_;
  std::vector<SanmEncoderLayer> layers_;
  LayerNorm after_norm_;
};

}  // namespace funasr::layers
