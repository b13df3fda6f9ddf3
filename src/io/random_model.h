// Random-weight models with FunASR's exact tensor names and shapes, at any size (by default
// the released sizes: paraformer-large 220M parameters, CT-Transformer punc vocab 272727).
// Used by funasr-make-random-model, load/speed benchmarks and tests; the weights are
// meaningless but numerically tame (PyTorch-default uniform init, LayerNorm 1/0, CIF biases
// set so that about one token fires per three encoder frames).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "io/model_files.h"

namespace funasr::io {

enum class RandomModelKind { kParaformer, kBiCif, kSeaco, kContextual, kCtPunc, kCtPuncRealtime };

// "paraformer" | "bicif" | "seaco" | "contextual" | "ct-punc" | "ct-punc-realtime".
RandomModelKind ParseRandomModelKind(const std::string& s);

struct RandomModelOptions {
  RandomModelKind kind = RandomModelKind::kParaformer;
  uint64_t seed = 1;
  // Paraformer family (defaults: paraformer-large, specs/paraformer-pipeline.md §9-10).
  int64_t input_dim = 560;        // 80 mels x LFR 7
  int64_t d_model = 512;          // encoder_conf.output_size
  int64_t heads = 4;              // attention_heads (encoder and decoder)
  int64_t encoder_ffn = 2048;     // encoder_conf.linear_units
  int64_t encoder_blocks = 50;    // encoder_conf.num_blocks (encoders0 + encoders)
  int64_t kernel_size = 11;       // FSMN memory kernel, encoder and decoder
  int64_t decoder_ffn = 2048;     // decoder_conf.linear_units
  int64_t decoder_blocks = 16;    // decoder_conf.num_blocks = att_layer_num
  int64_t vocab = 8404;           // output vocabulary (ASR) / word vocabulary (punc)
  int64_t inner_dim = 512;        // SeACo / Contextual bias encoder width
  int64_t seaco_ffn = 1024;       // seaco_decoder_conf.linear_units
  int64_t seaco_att_layers = 6;   // ParaformerSANMDecoder default att_layer_num
  int64_t seaco_blocks = 4;       // seaco_decoder_conf.num_blocks (config only)
  int64_t seaco_kernel = 21;
  // CT-Transformer (punc_ct-transformer_zh-cn-common-vocab272727-pytorch) when kind is
  // kCtPunc / kCtPuncRealtime: vocab 272727, embed 256, 4 blocks, 8 heads, ffn 1024.
  int64_t punc_classes = 6;

  // Released-size defaults of the punctuation model (call after setting `kind`).
  void UsePuncDefaults();
  // The tiny dimensions of tests/data/reference/models/<kind>-tiny.
  void UseTinyReferenceDims();
};

// Names and shapes, in FunASR's state_dict order.
std::vector<std::pair<std::string, Shape>> RandomModelTensorLayout(const RandomModelOptions& o);
// config.yaml text for the model (FunASR template structure, frontend dither 0).
std::string RandomModelConfigYaml(const RandomModelOptions& o);

// The model in memory. `tokens` / `cmvn` default to synthetic ones of the right size when
// not given (ids 0..2 = <blank> <s> </s>, last = <unk>; CMVN shift 0, scale 1).
std::shared_ptr<const ModelFiles> MakeRandomModel(const RandomModelOptions& o,
                                                  std::vector<std::string> tokens = {},
                                                  std::optional<Cmvn> cmvn = std::nullopt);

}  // namespace funasr::io
