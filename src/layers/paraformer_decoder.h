// ParaformerSanmDecoder: FunASR's ParaformerSANMDecoder (funasr/models/paraformer/decoder.py,
// paraformer-pipeline.md §4), used as the main decoder of Paraformer / BiCif / SeACo and,
// with other dims, as SeACo's hotword decoder.
//   x = acoustic embeddings E [N, d]                 (no token embedding, no PE at inference)
//   x = decoders.l(x, memory),  l < att_layer_num    (FFN + FSMN + cross-attention)
//   x = decoders2.l(x),         l < num_blocks - att_layer_num   (FFN + FSMN, shift 0)
//   x = decoders3.0(x)                               (FFN only, no residual)
//   hidden = after_norm(x) ;  logits = output_layer(hidden)   (when use_output_layer)
//
// Hotword variants build on the pieces: hidden states before the output layer
// (ForwardHidden), the token embedding table `<prefix>.embed.0.weight` (SeACo's hotword
// embeddings), per-layer access and the memory projection of each cross-attention.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/model_files.h"
#include "kernels/linear.h"
#include "layers/layer_norm.h"
#include "layers/linear_loader.h"
#include "layers/packed_sequences.h"
#include "layers/sanm_decoder_layer.h"
#include "layers/workspace.h"

namespace funasr::layers {

struct ParaformerDecoderConfig {
  int64_t vocab_size = 0;            // tokens (output layer / embedding rows)
  int64_t d_model = 512;             // attention_dim = encoder_output_size
  int64_t memory_features = 512;     // width of the cross-attention memory
  int64_t attention_heads = 4;       // decoder_conf.attention_heads
  int64_t linear_units = 2048;       // decoder_conf.linear_units
  int64_t num_blocks = 6;            // decoder_conf.num_blocks
  int64_t att_layer_num = 6;         // decoder_conf.att_layer_num (layers with cross-attn)
  int64_t kernel_size = 21;          // decoder_conf.kernel_size (FSMN)
  int64_t sanm_shift = 0;            // decoder_conf.sanm_shfit (sic), `decoders` only
  bool use_output_layer = true;      // decoder_conf.use_output_layer
  bool load_embedding = false;       // read <prefix>.embed.0.weight [vocab, d] (SeACo)

  // Reads `decoder_conf` with ParaformerSANMDecoder's constructor defaults.
  static ParaformerDecoderConfig FromConfig(const io::ConfigReader& decoder_conf,
                                            int64_t vocab_size, int64_t encoder_output_size);
};

class ParaformerSanmDecoder {
 public:
  ParaformerSanmDecoder() = default;
  // Linear layers quantised when options.quantize_int8 (the output layer included).
  static ParaformerSanmDecoder Load(const io::ModelFiles& files, const std::string& prefix,
                                    const ParaformerDecoderConfig& config,
                                    const WeightOptions& options);

  // embeds [rows_n, d] packed by `tokens`; memory [rows_t, memory_features] packed by
  // `frames` (one memory per token sequence, or one shared) -> hidden [rows_n, d]
  // (after_norm output, before the output layer). hidden may equal embeds.
  void ForwardHidden(const float* embeds, const PackedSequences& tokens, const float* memory,
                     const PackedSequences& frames, float* hidden, Workspace& ws) const;
  // logits [rows, vocab] = output_layer(hidden); requires use_output_layer.
  void OutputLayer(const float* hidden, int64_t rows, float* logits) const;

  const ParaformerDecoderConfig& config() const { return config_; }
  // decoders, then decoders2, then decoders3.
  const std::vector<DecoderLayerSanm>& layers() const { return layers_; }
  const LayerNorm& after_norm() const { return after_norm_; }
  // [vocab, d] token embedding table; undefined unless config.load_embedding.
  const Tensor& embedding() const { return embedding_; }

 private:
  // ForwardHidden with int8 weights on `blocks` >= 2 threads: each thread owns a block of
  // token rows (and of memory rows for the cross-attention projections), and the parallel
  // steps are only where rows mix: each FSMN, and the cross-attention heads (before and
  // after them). 3 steps per layer instead of about 13. Same results as the per-operation
  // schedule (int8 sums do not depend on the grouping of rows).
  void ForwardRowBlocks(const PackedSequences& tokens, const float* memory,
                        const PackedSequences& frames, float* x, Workspace& ws,
                        int64_t blocks) const;

  // Below this many token rows per thread the row blocks are too small for the GEMM kernels.
  static constexpr int64_t kMinRowsPerBlock = 16;

  ParaformerDecoderConfig config_;
  std::vector<DecoderLayerSanm> layers_;
  LayerNorm after_norm_;
  kernels::LinearWeights output_layer_;
  Tensor embedding_;
};

}  // namespace funasr::layers
