#include "layers/sanm_attention.h"

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
                                       Workspace& ws, const float* residual) const {
  FUNASR_ASSERT(masks.empty() || static_cast<int64_t>(masks.size()) == seqs.count());
  const int64_t rows = seqs.total_rows();
  const int64_t d = config_.d_model;
  if (rows == 0) return;
  Workspace::Scope scope(ws);

  float* qkv = ws.Floats(rows * 3 * d);
  kernels::Linear(x, rows, linear_q_k_v_, qkv);

  // v gathered contiguous for the FSMN memory.
  float* v = ws.Floats(rows * d);
  ParallelRows(rows, d, [&](int64_t r0, int64_t r1) { CopyV(qkv, r0, r1, v); });
  // FSMN memory on v. It goes straight into y unless y also holds the residual (an
  // in-place layer), which must stay intact until the output rows are produced.
  float* memory = residual == y ? ws.Floats(rows * d) : y;
  fsmn_.Forward(v, seqs, memory, &ws);

  float* context = ws.Floats(rows * d);
  std::vector<AttentionProblem> problems(static_cast<size_t>(seqs.count()));
  for (int64_t s = 0; s < seqs.count(); ++s) {
    problems[static_cast<size_t>(s)] = Problem(qkv, v, seqs, masks, s, context);
  }
  MultiHeadAttention(problems, config_.num_heads, d / config_.num_heads, Scale(), ws);

  OutputRows(context, memory, residual, 0, rows, y);
}

void MultiHeadedAttentionSanm::CopyV(const float* qkv, int64_t r0, int64_t r1, float* v) const {
  const int64_t d = config_.d_model;
  for (int64_t r = r0; r < r1; ++r) {
    std::memcpy(v + r * d, qkv + r * 3 * d + 2 * d, static_cast<size_t>(d) * sizeof(float));
  }
}

void MultiHeadedAttentionSanm::ProjectRows(const float* x, int64_t r0, int64_t r1, float* qkv,
                                           float* v) const {
  const int64_t d = config_.d_model;
  kernels::Linear(x + r0 * config_.in_features, r1 - r0, linear_q_k_v_, qkv + r0 * 3 * d);
  CopyV(qkv, r0, r1, v);
}

void MultiHeadedAttentionSanm::MemoryRows(const float* v, const PackedSequences& seqs,
                                          int64_t r0, int64_t r1, float* memory,
                                          float* scratch) const {
  fsmn_.ForwardRows(v, seqs, r0, r1, memory, scratch);
}

AttentionProblem MultiHeadedAttentionSanm::Problem(const float* qkv, const float* v,
                                                   const PackedSequences& seqs,
                                                   const AttentionMasks& masks, int64_t s,
                                                   float* context) const {
  const int64_t d = config_.d_model;
  const int64_t off = seqs.offset(s);
  AttentionProblem p;
  p.q = qkv + off * 3 * d;
  p.k = p.q + d;
  p.v = v + off * d;
  p.ldq = p.ldk = 3 * d;
  p.ldv = d;
  p.tq = p.tk = seqs.length(s);
  p.mask = masks.empty() ? nullptr : masks[static_cast<size_t>(s)];
  p.out = context + off * d;
  p.ldo = d;
  return p;
}

float MultiHeadedAttentionSanm::Scale() const {
  return AttentionScale(config_.d_model / config_.num_heads);
}

void MultiHeadedAttentionSanm::OutputRows(const float* context, const float* memory,
                                          const float* residual, int64_t r0, int64_t r1,
                                          float* y) const {
  // y = residual + (linear_out(context) + memory), both added as each output row is
  // produced.
  const int64_t d = config_.d_model;
  kernels::LinearEpilogue add;
  add.residual = memory + r0 * d;
  add.outer_residual = residual != nullptr ? residual + r0 * d : nullptr;
  kernels::Linear(context + r0 * d, r1 - r0, linear_out_, y + r0 * d, add);
}

}  // namespace funasr::layers
