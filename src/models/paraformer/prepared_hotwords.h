// PreparedHotwords: a hotword list encoded for one SeACo or Contextual Paraformer model, built
// once (SeacoParaformerModel/ContextualParaformerModel::PrepareHotwords) and then shared,
// read-only, by any number of requests and threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace funasr::models {

struct PreparedHotwords {
  // The model instance it was prepared for (ids are per loaded model; see ModelInstanceId).
  uint64_t model_id = 0;
  // Token ids per entry as FunASR's generate_hotwords_list returns them: the user hotwords,
  // then the no-bias entry [<s>] last.
  std::vector<std::vector<int64_t>> ids;
  int64_t dim = 0;
  // One bias vector per entry [count, dim] (the bias encoder's output).
  std::vector<float> embeddings;
  // The bias vectors projected by each hotword cross-attention layer (linear_k_v),
  // [count, 2 * dim] per layer; empty when the list was too large to cache them (they are
  // then projected per request).
  std::vector<std::vector<float>> layer_kv;

  int64_t count() const { return static_cast<int64_t>(ids.size()); }
  // Number of user hotwords (without the no-bias entry).
  int64_t num_user_hotwords() const { return count() > 0 ? count() - 1 : 0; }
  size_t bytes() const {
    size_t b = embeddings.size() * sizeof(float);
    for (const auto& v : layer_kv) b += v.size() * sizeof(float);
    for (const auto& v : ids) b += v.size() * sizeof(int64_t);
    return b;
  }
};

// A process-unique id for a newly loaded model (never reused, unlike addresses).
uint64_t NewModelInstanceId();

// Memory above which PrepareHotwords does not cache the per-layer projections (they are
// recomputed per request instead): 64 MiB, about 2,700 hotwords for SeACo-large.
inline constexpr size_t kMaxCachedHotwordProjectionBytes = size_t{64} << 20;

}  // namespace funasr::models
