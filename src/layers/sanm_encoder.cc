#include "layers/sanm_encoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "core/threading.h"
#include "layers/multi_head_attention.h"
#include "layers/positional_encoding.h"

namespace funasr::layers {

SanmEncoderConfig SanmEncoderConfig::FromConfig(const io::ConfigReader& conf,
                                                int64_t input_size) {
  SanmEncoderConfig c;
  c.input_size = input_size;
  c.output_size = conf.GetInt("output_size", 256);
  c.attention_heads = conf.GetInt("attention_heads", 4);
  c.linear_units = conf.GetInt("linear_units", 2048);
  c.num_blocks = conf.GetInt("num_blocks", 6);
  c.kernel_size = conf.GetInt("kernel_size", 11);
  c.sanm_shift = conf.GetInt("sanm_shfit", 0);
  if (conf.Has("input_layer") && !conf.node()["input_layer"].IsNull()) {
    const std::string input_layer = conf.GetString("input_layer", "conv2d");
    if (input_layer == "pe") {
      c.positional_encoding = true;
    } else if (input_layer == "null" || input_layer == "none" || input_layer == "None") {
      c.positional_encoding = false;
    } else {
      conf.Fail("input_layer", "'" + input_layer + "' is not supported (only pe or null)");
    }
  } else if (conf.Has("input_layer")) {
    c.positional_encoding = false;  // explicit null: no input layer
  } else {
    conf.Fail("input_layer", "missing (SANMEncoder's default conv2d is not supported)");
  }
  if (!conf.GetBool("normalize_before", true)) {
    conf.Fail("normalize_before", "false is not supported");
  }
  if (conf.GetBool("concat_after", false)) conf.Fail("concat_after", "true is not supported");
  const std::string att = conf.GetString("selfattention_layer_type", "sanm");
  if (att != "sanm") conf.Fail("selfattention_layer_type", "'" + att + "' is not supported");
  if (c.output_size <= 0 || c.attention_heads <= 0 || c.output_size % c.attention_heads != 0) {
    conf.Fail("attention_heads", "output_size must be a positive multiple of attention_heads");
  }
  if (c.num_blocks < 1) conf.Fail("num_blocks", "must be at least 1");
  if (c.kernel_size < 1) conf.Fail("kernel_size", "must be at least 1");
  if (c.sanm_shift < 0 || (c.kernel_size - 1) / 2 + c.sanm_shift > c.kernel_size - 1) {
    conf.Fail("sanm_shfit", "out of range for the kernel size");
  }
  return c;
}

SanmEncoder SanmEncoder::Load(const io::ModelFiles& files, const std::string& prefix,
                              const SanmEncoderConfig& config, const WeightOptions& options) {
  SanmEncoder e;
  e.config_ = config;
  SanmEncoderLayerConfig lc;
  lc.attention.d_model = config.output_size;
  lc.attention.num_heads = config.attention_heads;
  lc.attention.kernel_size = config.kernel_size;
  lc.attention.sanm_shift = config.sanm_shift;
  lc.linear_units = config.linear_units;
  e.layers_.reserve(static_cast<size_t>(config.num_blocks));
  lc.attention.in_features = config.input_size;
  e.layers_.push_back(SanmEncoderLayer::Load(files, prefix + ".encoders0.0", lc, options));
  lc.attention.in_features = config.output_size;
  for (int64_t i = 0; i + 1 < config.num_blocks; ++i) {
    e.layers_.push_back(
        SanmEncoderLayer::Load(files, prefix + ".encoders." + std::to_string(i), lc, options));
  }
  e.after_norm_ = LayerNorm::Load(files, prefix + ".after_norm", config.output_size);
  return e;
}

void SanmEncoder::Embed(float* x, const PackedSequences& seqs) const {
  // FunASR: xs_pad * output_size ** 0.5 (a Python double applied to float32).
  const float scale = static_cast<float>(std::sqrt(static_cast<double>(config_.output_size)));
  const int64_t in = config_.input_size;
  for (int64_t s = 0; s < seqs.count(); ++s) {
    float* xs = x + seqs.offset(s) * in;
    if (config_.positional_encoding) {
      ScaleAndAddPositionEncoding(xs, seqs.length(s), in, scale);
    } else {
      for (int64_t i = 0; i < seqs.length(s) * in; ++i) xs[i] *= scale;
    }
  }
}

void SanmEncoder::Forward(const float* x, const PackedSequences& seqs, float* y, Workspace& ws,
                          const AttentionMasks& first_layer_masks,
                          const AttentionMasks& other_layer_masks) const {
  const int64_t rows = seqs.total_rows();
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* e = ws.Floats(rows * config_.input_size);
  std::memcpy(e, x, static_cast<size_t>(rows * config_.input_size) * sizeof(float));
  Embed(e, seqs);
  const int64_t blocks = std::min<int64_t>(GetNumThreads(), rows / kMinRowsPerBlock);
  const bool row_blocks =
      blocks >= 2 && std::all_of(layers_.begin(), layers_.end(), [&](const SanmEncoderLayer& l) {
        return l.RowBlocksExact(rows, blocks);
      });
  if (row_blocks) {
    ForwardRowBlocks(e, seqs, y, ws, first_layer_masks, other_layer_masks, blocks);
    return;
  }
  layers_[0].Forward(e, seqs, first_layer_masks, y, ws);
  for (size_t i = 1; i < layers_.size(); ++i) {
    layers_[i].Forward(y, seqs, other_layer_masks, y, ws);
  }
  after_norm_.Forward(y, rows, y);
}

void SanmEncoder::ForwardRowBlocks(const float* e, const PackedSequences& seqs, float* y,
                                   Workspace& ws, const AttentionMasks& first_layer_masks,
                                   const AttentionMasks& other_layer_masks,
                                   int64_t blocks) const {
  const int64_t rows = seqs.total_rows();
  const int64_t d = config_.output_size;
  const int64_t heads = config_.attention_heads;
  const int64_t d_k = d / heads;
  Workspace::Scope scope(ws);
  SanmEncoderLayer::RowBuffers b;
  b.h = ws.Floats(rows * std::max(config_.input_size, d));
  b.qkv = ws.Floats(rows * 3 * d);
  b.v = ws.Floats(rows * d);
  b.memory = ws.Floats(rows * d);
  b.context = ws.Floats(rows * d);
  b.hidden = ws.Floats(rows * config_.linear_units);
  const int64_t block_rows = (rows + blocks - 1) / blocks;
  const int64_t scratch_floats = layers_[0].self_attn().MemoryScratchFloats(block_rows);
  float* scratch = ws.Floats(scratch_floats * blocks);
  auto begin = [&](int64_t block) { return rows * block / blocks; };

  // Every layer's attention problems point into the same buffers; only the masks differ.
  auto problems = [&](const AttentionMasks& masks) {
    std::vector<AttentionProblem> p(static_cast<size_t>(seqs.count()));
    for (int64_t s = 0; s < seqs.count(); ++s) {
      p[static_cast<size_t>(s)] =
          layers_[0].self_attn().Problem(b.qkv, b.v, seqs, masks, s, b.context);
    }
    return p;
  };
  const std::vector<AttentionProblem> first_problems = problems(first_layer_masks);
  const std::vector<AttentionProblem> other_problems = problems(other_layer_masks);
  const float scale = layers_[0].self_attn().Scale();

  const int threads = static_cast<int>(blocks);
  ParallelFor(blocks, threads, [&](int64_t block) {
    layers_[0].ProjectRows(e, begin(block), begin(block + 1), b);
  });
  const int64_t head_tasks = seqs.count() * heads;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const SanmEncoderLayer& layer = layers_[i];
    const std::vector<AttentionProblem>& p = i == 0 ? first_problems : other_problems;
    // Phase 1: the steps that read other rows (FSMN over time, attention over keys).
    ParallelFor(blocks + head_tasks, threads, [&](int64_t task) {
      if (task < blocks) {
        layer.self_attn().MemoryRows(b.v, seqs, begin(task), begin(task + 1), b.memory,
                                     scratch + task * scratch_floats);
      } else {
        const int64_t t = task - blocks;
        SolveAttentionHead(p[static_cast<size_t>(t / heads)], t % heads, d_k, scale);
      }
    });
    // Phase 2: row-wise to the next layer's projections, all on the rows of one block.
    const float* x = i == 0 ? e : y;
    ParallelFor(blocks, threads, [&](int64_t block) {
      const int64_t r0 = begin(block), r1 = begin(block + 1);
      layer.FinishRows(x, r0, r1, b, y);
      if (i + 1 < layers_.size()) {
        layers_[i + 1].ProjectRows(y, r0, r1, b);
      } else {
        after_norm_.Forward(y + r0 * d, r1 - r0, y + r0 * d);
      }
    });
  }
}

}  // namespace funasr::layers
