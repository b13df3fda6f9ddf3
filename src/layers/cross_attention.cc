#include "layers/cross_attention.h"

#include <vector>

#include "layers/multi_head_attention.h"

namespace funasr::layers {

MultiHeadedAttentionCrossAtt MultiHeadedAttentionCrossAtt::Load(
    const io::ModelFiles& files, const std::string& prefix, const CrossAttentionConfig& config,
    const WeightOptions& options) {
  FUNASR_CHECK(config.num_heads > 0 && config.d_model % config.num_heads == 0,
               ErrorCode::kFormatError, prefix, ": d_model ", config.d_model,
               " is not a multiple of the head count ", config.num_heads);
  MultiHeadedAttentionCrossAtt a;
  a.config_ = config;
  a.linear_q_ = LoadLinear(files, prefix + ".linear_q", config.d_model, config.d_model, true,
                           options);
  a.linear_k_v_ = LoadLinear(files, prefix + ".linear_k_v", 2 * config.d_model,
                             config.memory_features, true, options);
  a.linear_out_ = LoadLinear(files, prefix + ".linear_out", config.d_model, config.d_model,
                             true, options);
  return a;
}

void MultiHeadedAttentionCrossAtt::ProjectMemory(const float* memory, int64_t rows,
                                                 float* kv) const {
  kernels::Linear(memory, rows, linear_k_v_, kv);
}

void MultiHeadedAttentionCrossAtt::Forward(const float* x, const PackedSequences& queries,
                                           const float* kv, const PackedSequences& memories,
                                           float* y, Workspace& ws, float* probs,
                                           const float* residual) const {
  CheckMemories(queries, memories);
  const int64_t rows = queries.total_rows();
  const int64_t d = config_.d_model;
  const int64_t heads = config_.num_heads;
  if (rows == 0) return;
  Workspace::Scope scope(ws);
  float* q = ws.Floats(rows * d);
  kernels::Linear(x, rows, linear_q_, q);
  float* context = ws.Floats(rows * d);
  std::vector<AttentionProblem> problems(static_cast<size_t>(queries.count()));
  int64_t probs_offset = 0;
  for (int64_t s = 0; s < queries.count(); ++s) {
    AttentionProblem& p = problems[static_cast<size_t>(s)];
    p = Problem(q, queries, kv, memories, s, context);
    if (probs != nullptr) {
      p.probs = probs + probs_offset;
      probs_offset += heads * p.tq * p.tk;
    }
  }
  MultiHeadAttention(problems, heads, d / heads, Scale(), ws);
  OutputRows(context, residual, 0, rows, y);
}

bool MultiHeadedAttentionCrossAtt::CheckMemories(const PackedSequences& queries,
                                                 const PackedSequences& memories) {
  const bool shared = memories.count() == 1 && queries.count() != 1;
  FUNASR_CHECK(shared || memories.count() == queries.count(), ErrorCode::kInternal,
               "cross attention: ", queries.count(), " query sequences but ",
               memories.count(), " memories");
  return shared;
}

void MultiHeadedAttentionCrossAtt::ProjectMemoryRows(const float* memory, int64_t r0,
                                                     int64_t r1, float* kv) const {
  kernels::Linear(memory + r0 * config_.memory_features, r1 - r0, linear_k_v_,
                  kv + r0 * 2 * config_.d_model);
}

void MultiHeadedAttentionCrossAtt::QueryRows(const float* x, int64_t r0, int64_t r1,
                                             float* q) const {
  const int64_t d = config_.d_model;
  kernels::Linear(x + r0 * d, r1 - r0, linear_q_, q + r0 * d);
}

AttentionProblem MultiHeadedAttentionCrossAtt::Problem(const float* q,
                                                       const PackedSequences& queries,
                                                       const float* kv,
                                                       const PackedSequences& memories,
                                                       int64_t s, float* context) const {
  const bool shared = CheckMemories(queries, memories);
  const int64_t d = config_.d_model;
  const int64_t m = shared ? 0 : s;
  AttentionProblem p;
  p.q = q + queries.offset(s) * d;
  p.ldq = d;
  p.tq = queries.length(s);
  p.k = kv + memories.offset(m) * 2 * d;
  p.v = p.k + d;
  p.ldk = p.ldv = 2 * d;
  p.tk = memories.length(m);
  p.out = context + queries.offset(s) * d;
  p.ldo = d;
  return p;
}

float MultiHeadedAttentionCrossAtt::Scale() const {
  return AttentionScale(config_.d_model / config_.num_heads);
}

void MultiHeadedAttentionCrossAtt::OutputRows(const float* context, const float* residual,
                                              int64_t r0, int64_t r1, float* y) const {
  const int64_t d = config_.d_model;
  kernels::LinearEpilogue add;  // the skip connection, added as each output row is produced
  add.residual = residual != nullptr ? residual + r0 * d : nullptr;
  kernels::Linear(context + r0 * d, r1 - r0, linear_out_, y + r0 * d, add);
}

}  // namespace funasr::layers
