// CtTransformer: FunASR's CT-Transformer punctuation network (spec §4.1-4.3).
//
//   x = Emb[ids] * sqrt(D) + PE           (SinusoidalPositionEncoder, 1-based positions)
//   x = SAN-M encoder layers (encoders0.0, encoders.0 .. encoders.N-2), after_norm
//   logits = decoder(x)                   (Linear D -> len(punc_list))
//
// Offline (`model: CTTransformer`, SANMEncoder): full bidirectional attention.
// Realtime (`model: CTTransformerStreaming`, SANMVadEncoder, sanm_shfit 5): the FSMN
// memory is causal (left padding (K-1)/2 + shift); every layer but the last attends
// causally (query i sees keys j <= i); the last layer uses FunASR's vad_mask(L, vad_index):
// rows 0 .. vad_index-2 do not see columns vad_index .. L-1 (PyTorch semantics; FunASR's
// ONNX/C++ runtimes use the VAD mask on every layer, spec §4.9 item 12).
//
// Immutable after Load; Classify may run on many threads at once (each with its own
// Workspace).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/model_files.h"
#include "layers/linear_loader.h"
#include "layers/sanm_encoder_layer.h"
#include "layers/layer_norm.h"
#include "layers/workspace.h"

namespace funasr::models {

struct CtTransformerConfig {
  bool realtime = false;          // CTTransformerStreaming (SANMVadEncoder)
  int64_t vocab_size = 0;         // rows of embed.weight (= number of tokens)
  int64_t embed_unit = 256;       // model_conf.embed_unit (embedding width, encoder input)
  int64_t d_model = 256;          // encoder_conf.output_size (= model_conf.att_unit)
  int64_t num_heads = 8;          // encoder_conf.attention_heads
  int64_t linear_units = 1024;    // encoder_conf.linear_units (FFN width)
  int64_t num_blocks = 4;         // encoder_conf.num_blocks
  int64_t kernel_size = 11;       // encoder_conf.kernel_size (FSMN)
  int64_t sanm_shift = 0;         // encoder_conf.sanm_shfit
  int64_t num_classes = 6;        // len(model_conf.punc_list)
};

class CtTransformer {
 public:
  // Reads config.yaml (model, model_conf, encoder, encoder_conf) and the weights. Throws
  // Unsupported for another model class and FormatError naming the key or tensor when the
  // config and the checkpoint disagree.
  static std::shared_ptr<const CtTransformer> Load(const io::ModelFiles& files,
                                                   const layers::WeightOptions& options = {});

  // Logits [n, num_classes] (row-major) for the word ids of one window. `vad_index` is the
  // realtime model's mask position (ignored offline). Ids must be in [0, vocab_size).
  void Logits(const int32_t* ids, int64_t n, int64_t vad_index, float* logits,
              layers::Workspace& ws) const;
  // Arg-max class per word (first maximum on ties, like torch.topk on CPU in practice).
  std::vector<int> Classify(const std::vector<int32_t>& ids, int64_t vad_index,
                            layers::Workspace& ws) const;

  const CtTransformerConfig& config() const { return config_; }
  // Bytes of weights held (embedding table + layers), for memory reports.
  size_t WeightBytes() const { return weight_bytes_; }

 private:
  CtTransformerConfig config_;
  Tensor embedding_;  // [V, E], f32 or f16
  std::vector<layers::SanmEncoderLayer> layers_;
  layers::LayerNorm after_norm_;
  kernels::LinearWeights decoder_;
  size_t weight_bytes_ = 0;
};

// The realtime model's attention masks for a window of `n` words (1 = may attend):
// lower-triangular for the layers before the last, and FunASR's vad_mask for the last.
std::vector<uint8_t> CausalMask(int64_t n);
std::vector<uint8_t> VadMask(int64_t n, int64_t vad_index);

}  // namespace funasr::models
