#include "layers/paraformer_decoder.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "core/threading.h"
#include "layers/multi_head_attention.h"

namespace funasr::layers {

ParaformerDecoderConfig ParaformerDecoderConfig::FromConfig(const io::ConfigReader& conf,
                                                            int64_t vocab_size,
                                                            int64_t encoder_output_size) {
  ParaformerDecoderConfig c;
  c.vocab_size = vocab_size;
  c.d_model = encoder_output_size;
  c.memory_features = encoder_output_size;
  c.attention_heads = conf.GetInt("attention_heads", 4);
  c.linear_units = conf.GetInt("linear_units", 2048);
  c.num_blocks = conf.GetInt("num_blocks", 6);
  c.att_layer_num = conf.GetInt("att_layer_num", 6);
  c.kernel_size = conf.GetInt("kernel_size", 21);
  // FunASR: sanm_shfit None means (K-1)//2.
  if (conf.Has("sanm_shfit") && conf.node()["sanm_shfit"].IsNull()) {
    c.sanm_shift = (c.kernel_size - 1) / 2;
  } else {
    c.sanm_shift = conf.GetInt("sanm_shfit", 0);
  }
  c.use_output_layer = conf.GetBool("use_output_layer", true);
  if (!conf.GetBool("normalize_before", true)) {
    conf.Fail("normalize_before", "false is not supported");
  }
  if (conf.GetBool("concat_after", false)) conf.Fail("concat_after", "true is not supported");
  if (c.attention_heads <= 0 || c.d_model % c.attention_heads != 0) {
    conf.Fail("attention_heads", "encoder output size " + std::to_string(c.d_model) +
                                     " is not a multiple of attention_heads");
  }
  if (c.att_layer_num < 0) conf.Fail("att_layer_num", "must not be negative");
  if (c.kernel_size < 1) conf.Fail("kernel_size", "must be at least 1");
  if (c.sanm_shift < 0 || (c.kernel_size - 1) / 2 + c.sanm_shift > c.kernel_size - 1) {
    conf.Fail("sanm_shfit", "out of range for the kernel size");
  }
  return c;
}

ParaformerSanmDecoder ParaformerSanmDecoder::Load(const io::ModelFiles& files,
                                                  const std::string& prefix,
                                                  const ParaformerDecoderConfig& config,
                                                  const WeightOptions& options) {
  ParaformerSanmDecoder dec;
  dec.config_ = config;
  DecoderLayerSanmConfig lc;
  lc.d_model = config.d_model;
  lc.linear_units = config.linear_units;
  lc.num_heads = config.attention_heads;
  lc.kernel_size = config.kernel_size;
  lc.memory_features = config.memory_features;
  lc.sanm_shift = config.sanm_shift;
  for (int64_t l = 0; l < config.att_layer_num; ++l) {
    dec.layers_.push_back(DecoderLayerSanm::Load(
        files, prefix + ".decoders." + std::to_string(l), lc, options));
  }
  lc.has_src_attn = false;
  lc.sanm_shift = 0;  // FunASR builds decoders2 with sanm_shfit=0
  for (int64_t l = 0; l < config.num_blocks - config.att_layer_num; ++l) {
    dec.layers_.push_back(DecoderLayerSanm::Load(
        files, prefix + ".decoders2." + std::to_string(l), lc, options));
  }
  lc.has_self_attn = false;
  dec.layers_.push_back(DecoderLayerSanm::Load(files, prefix + ".decoders3.0", lc, options));
  dec.after_norm_ = LayerNorm::Load(files, prefix + ".after_norm", config.d_model);
  if (config.use_output_layer) {
    dec.output_layer_ = LoadLinear(files, prefix + ".output_layer", config.vocab_size,
                                   config.d_model, true, options);
  }
  if (config.load_embedding) {
    dec.embedding_ =
        files.GetF32(prefix + ".embed.0.weight", Shape{config.vocab_size, config.d_model});
  }
  return dec;
}

void ParaformerSanmDecoder::ForwardHidden(const float* embeds, const PackedSequences& tokens,
                                          const float* memory, const PackedSequences& frames,
                                          float* hidden, Workspace& ws) const {
  const int64_t rows = tokens.total_rows();
  const int64_t d = config_.d_model;
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  if (hidden != embeds) {
    std::memcpy(hidden, embeds, static_cast<size_t>(rows * d) * sizeof(float));
  }
  const int64_t blocks = std::min<int64_t>(GetNumThreads(), rows / kMinRowsPerBlock);
  const bool row_blocks =
      blocks >= 2 && std::all_of(layers_.begin(), layers_.end(), [&](const DecoderLayerSanm& l) {
        return l.RowBlocksExact(rows, frames.total_rows(), blocks);
      });
  if (row_blocks) {
    ForwardRowBlocks(tokens, memory, frames, hidden, ws, blocks);
    return;
  }
  float* kv = ws.Floats(frames.total_rows() * 2 * d);
  for (const DecoderLayerSanm& layer : layers_) {
    if (layer.has_src_attn()) {
      layer.src_attn().ProjectMemory(memory, frames.total_rows(), kv);
    }
    layer.Forward(hidden, tokens, kv, frames, ws);
  }
  after_norm_.Forward(hidden, rows, hidden);
}

void ParaformerSanmDecoder::ForwardRowBlocks(const PackedSequences& tokens, const float* memory,
                                             const PackedSequences& frames, float* x,
                                             Workspace& ws, int64_t blocks) const {
  const int64_t rows = tokens.total_rows();
  const int64_t memory_rows = frames.total_rows();
  const int64_t d = config_.d_model;
  const int64_t heads = config_.attention_heads;
  const int64_t d_k = d / heads;
  const size_t n = layers_.size();
  Workspace::Scope scope(ws);
  // The FFN output alternates between two buffers: a layer without cross-attention
  // (decoders2) goes on to the next layer's FFN in the step that reads its own FFN output on
  // the other threads' rows.
  DecoderLayerSanm::RowBuffers b[2];
  b[0].h = ws.Floats(rows * d);
  b[0].t = ws.Floats(rows * d);
  b[0].hidden = ws.Floats(rows * config_.linear_units);
  b[0].q = ws.Floats(rows * d);
  b[0].context = ws.Floats(rows * d);
  b[1] = b[0];
  b[1].t = ws.Floats(rows * d);
  auto buffers = [&](size_t layer) -> const DecoderLayerSanm::RowBuffers& { return b[layer % 2]; };
  float* kv = ws.Floats(memory_rows * 2 * d);
  const int64_t block_rows = (rows + blocks - 1) / blocks;
  int64_t scratch_floats = 0;
  for (const DecoderLayerSanm& l : layers_) {
    scratch_floats = std::max(scratch_floats, l.ScratchFloats(block_rows));
  }
  float* scratch = ws.Floats(scratch_floats * blocks);
  auto begin = [&](int64_t block) { return rows * block / blocks; };
  auto memory_begin = [&](int64_t block) { return memory_rows * block / blocks; };
  const int threads = static_cast<int>(blocks);
  auto row_step = [&](const std::function<void(int64_t, int64_t, int64_t)>& fn) {
    ParallelFor(blocks, threads, [&](int64_t block) { fn(block, begin(block), begin(block + 1)); });
  };
  // Row-wise work from layer j's FFN up to the next step that mixes rows (an FSMN or the
  // cross-attention heads), or to the end; the memory projection of each layer on the way
  // is split over the same blocks (by memory rows).
  auto run_from = [&](size_t j, int64_t block, int64_t r0, int64_t r1) {
    for (; j < n; ++j) {
      const DecoderLayerSanm& l = layers_[j];
      l.FeedForwardRows(x, r0, r1, buffers(j));
      if (l.has_src_attn()) {
        l.src_attn().ProjectMemoryRows(memory, memory_begin(block), memory_begin(block + 1), kv);
      }
      if (l.has_self_attn() || l.has_src_attn()) return;
    }
    after_norm_.Forward(x + r0 * d, r1 - r0, x + r0 * d);
  };

  row_step([&](int64_t block, int64_t r0, int64_t r1) { run_from(0, block, r0, r1); });
  for (size_t i = 0; i < n; ++i) {
    const DecoderLayerSanm& l = layers_[i];
    if (!l.has_self_attn() && !l.has_src_attn()) continue;  // done within run_from
    const DecoderLayerSanm::RowBuffers& bi = buffers(i);
    row_step([&](int64_t block, int64_t r0, int64_t r1) {
      l.SelfAttentionRows(x, tokens, r0, r1, bi, scratch + block * scratch_floats);
      if (!l.has_src_attn()) run_from(i + 1, block, r0, r1);
    });
    if (!l.has_src_attn()) continue;
    std::vector<AttentionProblem> problems(static_cast<size_t>(tokens.count()));
    for (int64_t s = 0; s < tokens.count(); ++s) {
      problems[static_cast<size_t>(s)] =
          l.src_attn().Problem(bi.q, tokens, kv, frames, s, bi.context);
    }
    const float scale = l.src_attn().Scale();
    ParallelFor(tokens.count() * heads, threads, [&](int64_t task) {
      SolveAttentionHead(problems[static_cast<size_t>(task / heads)], task % heads, d_k, scale);
    });
    row_step([&](int64_t block, int64_t r0, int64_t r1) {
      l.SourceOutputRows(x, r0, r1, bi);
      run_from(i + 1, block, r0, r1);
    });
  }
}

void ParaformerSanmDecoder::OutputLayer(const float* hidden, int64_t rows, float* logits) const {
  FUNASR_CHECK(config_.use_output_layer, ErrorCode::kInternal,
               "decoder built without an output layer");
  kernels::Linear(hidden, rows, output_layer_, logits);
}

}  // namespace funasr::layers
