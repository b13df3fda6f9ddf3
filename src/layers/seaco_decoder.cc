#include "layers/seaco_decoder.h"

#include <cstring>

#include "core/check.h"

namespace funasr::layers {

SeacoDecoder SeacoDecoder::Load(const io::ModelFiles& files, const std::string& prefix,
                                const ParaformerDecoderConfig& config,
                                const WeightOptions& options) {
  FUNASR_CHECK(!config.use_output_layer, ErrorCode::kFormatError, files.config_path(),
               ": seaco_decoder_conf: use_output_layer must be false");
  SeacoDecoder s;
  s.decoder_ = ParaformerSanmDecoder::Load(files, prefix, config, options);
  return s;
}

void SeacoDecoder::ProjectMemory(int64_t layer, const float* memory, int64_t rows,
                                 float* kv) const {
  FUNASR_ASSERT(layer >= 0 && layer < num_attention_layers());
  decoder_.layers()[static_cast<size_t>(layer)].src_attn().ProjectMemory(memory, rows, kv);
}

void SeacoDecoder::Forward(const float* x, const PackedSequences& tokens,
                           const ProjectedMemory& memory, int64_t memory_rows, float* hidden,
                           Workspace& ws) const {
  const int64_t rows = tokens.total_rows();
  if (rows == 0) return;
  if (hidden != x) {
    std::memcpy(hidden, x, static_cast<size_t>(rows * d_model()) * sizeof(float));
  }
  const PackedSequences memories = PackedSequences::Single(memory_rows);
  const std::vector<DecoderLayerSanm>& layers = decoder_.layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    const float* kv = layers[l].has_src_attn() ? memory(static_cast<int64_t>(l)) : nullptr;
    layers[l].Forward(hidden, tokens, kv, memories, ws);
  }
  decoder_.after_norm().Forward(hidden, rows, hidden);
}

void SeacoDecoder::AttentionScores(const float* x, int64_t n, const ProjectedMemory& memory,
                                   int64_t memory_rows, float* scores, Workspace& ws) const {
  FUNASR_CHECK(num_attention_layers() > kScoreLayer, ErrorCode::kUnsupported,
               "SeACo attention-score filtering needs at least ", kScoreLayer + 1,
               " seaco_decoder attention layers, the model has ", num_attention_layers());
  for (int64_t j = 0; j < memory_rows; ++j) scores[j] = 0.f;
  if (n == 0) return;
  const int64_t d = d_model();
  const int64_t heads = decoder_.config().attention_heads;
  Workspace::Scope scope(ws);
  float* h = ws.Floats(n * d);
  std::memcpy(h, x, static_cast<size_t>(n * d) * sizeof(float));
  const PackedSequences tokens = PackedSequences::Single(n);
  const PackedSequences memories = PackedSequences::Single(memory_rows);
  const std::vector<DecoderLayerSanm>& layers = decoder_.layers();
  for (int64_t l = 0; l < kScoreLayer; ++l) {
    layers[static_cast<size_t>(l)].Forward(h, tokens, memory(l), memories, ws);
  }
  const DecoderLayerSanm& last = layers[static_cast<size_t>(kScoreLayer)];
  last.ForwardFeedForwardAndSelfAttention(h, tokens, ws);
  float* probs = ws.Floats(heads * n * memory_rows);
  last.ForwardSourceAttention(h, tokens, memory(kScoreLayer), memories, ws, probs);
  // probs [heads, n, memory_rows]: torch sums dim 0 (heads) first, then the positions.
  float* per_head_sum = ws.Floats(n * memory_rows);
  std::memcpy(per_head_sum, probs, static_cast<size_t>(n * memory_rows) * sizeof(float));
  for (int64_t hd = 1; hd < heads; ++hd) {
    const float* p = probs + hd * n * memory_rows;
    for (int64_t i = 0; i < n * memory_rows; ++i) per_head_sum[i] += p[i];
  }
  for (int64_t i = 0; i < n; ++i) {
    const float* row = per_head_sum + i * memory_rows;
    for (int64_t j = 0; j < memory_rows; ++j) scores[j] += row[j];
  }
}

}  // namespace funasr::layers
