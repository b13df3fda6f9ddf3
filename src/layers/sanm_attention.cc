#include "layers/sanm_attention.h"

#include <cmath>
#include <cstring>

#include "layers/multi_head_attention.h"
#include "layers/parallel_rows.h"

namespace funasr::layers {

MultiHeadedAttentionSanm MultiHeadedAttentionSanm::Load(const io::ModelFiles& files,
                                                        const std::string& prefix,
                                                        const SanmAttentionConfig& config,
                                                        const WeightOptions& options) {
  FUNASR_CHECK(config.num_heads > 0 && config.d_model % config.num_heads == 0,
               ErrorCode::kFormatError, prefix, ": d_model ", config.d_model,
               " is not a multiple of the head count ", config.num_heads);
  MultiHeadedAttentionSanm a;
  a.config_ = config;
  a.linear_q_k_v_ = LoadLinear(files, prefix + ".linear_q_k_v", 3 * config.d_model,
                               config.in_features, true, options);
  a.linear_out_ =
      LoadLinear(files, prefix + ".linear_out", config.d_model, config.d_model, true, options);
  a.fsmn_ = FsmnMemoryBlock::Load(files, prefix + ".fsmn_block.weight", config.d_model,
                                  config.kernel_size, config.sanm_shift);
  return a;
}

void MultiHeadedAttentionSanm::Forward(const float* x, const PackedSequences& seqs,
                                       const AttentionMasks& masks, float* y,
                                       Workspace& ws) const {
  FUNASR_ASSERT(masks.empty() || static_cast<int64_t>(masks.size()) == seqs.count());
  const int64_t rows = seqs.total_rows();
  const int64_t d = config_.d_model;
  const int64_t heads = config_.num_heads;
  const int64_t d_k = d / heads;
  if (rows == 0) return;
  Workspace::Scope scope(ws);

  float* qkv = ws.Floats(rows * 3 * d);
  kernels::Linear(x, rows, linear_q_k_v_, qkv);

  // FSMN memory on v (gathered contiguous), written straight into y; the attention output
  // is added on top below.
  float* v = ws.Floats(rows * d);
  ParallelRows(rows, d, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      std::memcpy(v + r * d, qkv + r * 3 * d + 2 * d, static_cast<size_t>(d) * sizeof(float));
    }
  });
  fsmn_.Forward(v, seqs, y, &ws);

  float* context = ws.Floats(rows * d);
  std::vector<AttentionProblem> problems(static_cast<size_t>(seqs.count()));
  for (int64_t s = 0; s < seqs.count(); ++s) {
    const int64_t off = seqs.offset(s);
    AttentionProblem& p = problems[static_cast<size_t>(s)];
    p.q = qkv + off * 3 * d;
    p.k = p.q + d;
    p.v = v + off * d;
    p.ldq = p.ldk = 3 * d;
    p.ldv = d;
    p.tq = p.tk = seqs.length(s);
    p.mask = masks.empty() ? nullptr : masks[static_cast<size_t>(s)];
    p.out = context + off * d;
    p.ldo = d;
  }
  // FunASR: q_h * d_k ** (-0.5) (Python double, applied to a float32 tensor).
  const float scale = static_cast<float>(std::pow(static_cast<double>(d_k), -0.5));
  MultiHeadAttention(problems, heads, d_k, scale, ws);

  // y = linear_out(context) + memory, the FSMN memory already in y added as each output
  // row is produced.
  kernels::LinearEpilogue add_memory;
  add_memory.residual = y;
  kernels::Linear(context, rows, linear_out_, y, add_memory);
}

}  // namespace funasr::layers
