// HotwordBiasEncoder: the hotword encoder of SeACo- and Contextual-Paraformer
// (paraformer-pipeline.md §8.2, §8.3): the token ids of each hotword -> embedding table ->
// a stack of unidirectional LSTM layers (PyTorch nn.LSTM, batch_first, packed sequences)
// -> the top layer's hidden state after the hotword's last real token.
//   SeACo (`_hotword_representation`): table decoder.embed.0.weight, 2 layers, output at
//     index length-1 of the padded top-layer output;
//   Contextual (`cal_decoder_with_predictor`): table bias_embed.weight, 1 layer, h_n.
// Both are the same quantity (h_n of a packed sequence is its state after its last token).
//
// All hotwords of a list run together: the longest-first packed LSTM (kernels::
// LstmForwardPacked) turns each step's recurrence into one GEMM. Lists are processed in
// groups of at most kGroupTokens tokens, so memory stays bounded for any list size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/model_files.h"
#include "kernels/lstm.h"

namespace funasr::layers {

class HotwordBiasEncoder {
 public:
  // Tokens per processing group (bounds the working memory to a few MB at 512 dims).
  static constexpr int64_t kGroupTokens = 2048;

  HotwordBiasEncoder() = default;
  // `embedding` [vocab, dim] (f32 or f16); LSTM weights "<lstm_prefix>.{weight_ih,weight_hh,
  // bias_ih,bias_hh}_l{k}" for k < num_layers, each layer dim -> dim.
  static HotwordBiasEncoder Load(const io::ModelFiles& files, Tensor embedding,
                                 const std::string& lstm_prefix, int64_t num_layers);

  // hotwords: token ids per hotword (each non-empty, ids in [0, vocab)) -> out [n, dim].
  // Throws Error(kInvalidArgument) for an empty hotword or an id outside the vocabulary.
  void Encode(const std::vector<std::vector<int64_t>>& hotwords, float* out) const;

  int64_t dim() const { return dim_; }
  int64_t vocab_size() const { return embedding_.defined() ? embedding_.dim(0) : 0; }
  int64_t num_layers() const { return static_cast<int64_t>(layers_.size()); }

 private:
  Tensor embedding_;
  int64_t dim_ = 0;
  std::vector<kernels::LstmDirectionWeights> layers_;
};

}  // namespace funasr::layers
