#include "layers/hotword_bias_encoder.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/check.h"
#include "kernels/embedding.h"

namespace funasr::layers {

HotwordBiasEncoder HotwordBiasEncoder::Load(const io::ModelFiles& files, Tensor embedding,
                                            const std::string& lstm_prefix, int64_t num_layers) {
  FUNASR_CHECK(embedding.defined() && embedding.rank() == 2, ErrorCode::kFormatError, files.path(),
               ": hotword embedding table must be 2-D");
  FUNASR_CHECK(num_layers >= 1, ErrorCode::kInternal, "bias encoder needs a layer");
  HotwordBiasEncoder e;
  e.dim_ = embedding.dim(1);
  e.embedding_ = std::move(embedding);
  const int64_t d = e.dim_;
  for (int64_t k = 0; k < num_layers; ++k) {
    const std::string s = "_l" + std::to_string(k);
    kernels::LstmDirectionWeights w;
    w.weight_ih = files.GetF32(lstm_prefix + ".weight_ih" + s, Shape{4 * d, d});
    w.weight_hh = files.GetF32(lstm_prefix + ".weight_hh" + s, Shape{4 * d, d});
    w.bias_ih = files.GetF32(lstm_prefix + ".bias_ih" + s, Shape{4 * d});
    w.bias_hh = files.GetF32(lstm_prefix + ".bias_hh" + s, Shape{4 * d});
    e.layers_.push_back(std::move(w));
  }
  // nn.LSTM(num_layers = k) has exactly k layers: a further one means another architecture.
  FUNASR_CHECK(!files.HasTensor(lstm_prefix + ".weight_ih_l" + std::to_string(num_layers)),
               ErrorCode::kFormatError, files.path(), ": ", lstm_prefix, " has more than ",
               num_layers, " LSTM layer(s)");
  FUNASR_CHECK(!files.HasTensor(lstm_prefix + ".weight_ih_l0_reverse"), ErrorCode::kUnsupported,
               files.path(), ": ", lstm_prefix,
               " is bidirectional (bias_encoder_bid true is not supported)");
  return e;
}

void HotwordBiasEncoder::Encode(const std::vector<std::vector<int64_t>>& hotwords,
                                float* out) const {
  const int64_t n = static_cast<int64_t>(hotwords.size());
  const int64_t d = dim_;
  const int64_t vocab = vocab_size();
  for (int64_t i = 0; i < n; ++i) {
    const std::vector<int64_t>& ids = hotwords[static_cast<size_t>(i)];
    FUNASR_CHECK(!ids.empty(), ErrorCode::kInvalidArgument, "hotword ", i, " has no tokens");
    for (int64_t id : ids) {
      FUNASR_CHECK(id >= 0 && id < vocab, ErrorCode::kInvalidArgument, "hotword ", i, ": token id ",
                   id, " outside the vocabulary [0, ", vocab, ")");
    }
  }
  // Longest first, then groups of about kGroupTokens tokens: groups hold similar lengths, so
  // the per-step GEMMs stay full.
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return hotwords[static_cast<size_t>(a)].size() > hotwords[static_cast<size_t>(b)].size();
  });
  std::vector<int64_t> ids, lengths;
  std::vector<float> x, y;
  for (int64_t begin = 0; begin < n;) {
    int64_t end = begin, tokens = 0;
    while (end < n) {
      const int64_t len = static_cast<int64_t>(
          hotwords[static_cast<size_t>(order[static_cast<size_t>(end)])].size());
      if (end > begin && tokens + len > kGroupTokens) break;
      tokens += len;
      ++end;
    }
    ids.clear();
    lengths.clear();
    for (int64_t j = begin; j < end; ++j) {
      const std::vector<int64_t>& h = hotwords[static_cast<size_t>(order[static_cast<size_t>(j)])];
      ids.insert(ids.end(), h.begin(), h.end());
      lengths.push_back(static_cast<int64_t>(h.size()));
    }
    x.resize(static_cast<size_t>(tokens * d));
    y.resize(static_cast<size_t>(tokens * d));
    kernels::Embedding(embedding_, ids.data(), tokens, x.data());
    for (const kernels::LstmDirectionWeights& w : layers_) {
      kernels::LstmForwardPacked(x.data(), lengths.data(), end - begin, w, y.data());
      std::swap(x, y);
    }
    int64_t offset = 0;
    for (int64_t j = begin; j < end; ++j) {
      const int64_t len = lengths[static_cast<size_t>(j - begin)];
      std::memcpy(out + order[static_cast<size_t>(j)] * d, x.data() + (offset + len - 1) * d,
                  static_cast<size_t>(d) * sizeof(float));
      offset += len;
    }
    begin = end;
  }
}

}  // namespace funasr::layers
