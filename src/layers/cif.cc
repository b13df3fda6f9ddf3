#include "layers/cif.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace funasr::layers {

int64_t CifPrefixSum(const float* hidden, int64_t hidden_rows, int64_t d, const float* alphas,
                     int64_t t, int64_t max_tokens, float* embeds, float* peaks) {
  if (max_tokens > 0) std::memset(embeds, 0, static_cast<size_t>(max_tokens * d) * sizeof(float));
  // Fire positions and their fractional remainders (FunASR's `remains` at fire_idxs).
  std::vector<int64_t> fire_idx;
  std::vector<float> remain;
  double acc = 0.0;
  float prev_floor = 0.f;
  for (int64_t i = 0; i < t; ++i) {
    acc += static_cast<double>(alphas[i]);
    const float s = static_cast<float>(acc);
    const float fl = std::floor(s);
    const bool fire = (fl - prev_floor) > 0.f;
    // fires = (fires + prefix_sum) - prefix_sum_floor, in float32.
    const float peak = ((fire ? 1.f : 0.f) + s) - fl;
    peaks[i] = peak;
    if (fire) {
      fire_idx.push_back(i);
      remain.push_back(peak - std::floor(peak));
    }
    prev_floor = fl;
  }
  const int64_t fires = static_cast<int64_t>(fire_idx.size());
  const int64_t emit = fires < max_tokens ? fires : max_tokens;
  if (emit == 0) return fires;
  // prefix_sum_hidden = cumsum over time of alpha_t * h_t (float32 products; torch's CPU
  // cumsum accumulates float in double and rounds each output).
  std::vector<double> acc_h(static_cast<size_t>(d), 0.0);
  std::vector<float> prev_p(static_cast<size_t>(d), 0.f);      // P at the previous fire
  std::vector<float> prev_remain(static_cast<size_t>(d), 0.f);  // r_{k-1} * h_{f_{k-1}}
  int64_t k = 0;
  for (int64_t i = 0; i < t && k < emit; ++i) {
    const float a = alphas[i];
    const float* h = i < hidden_rows ? hidden + i * d : nullptr;
    if (h != nullptr) {
      for (int64_t c = 0; c < d; ++c) acc_h[c] += static_cast<double>(a * h[c]);
    }
    if (i != fire_idx[static_cast<size_t>(k)]) continue;
    const float r = remain[static_cast<size_t>(k)];
    float* out = embeds + k * d;
    for (int64_t c = 0; c < d; ++c) {
      const float p = static_cast<float>(acc_h[c]);
      const float rh = h != nullptr ? r * h[c] : 0.f;
      // frames - shift_frames + shift_remain_frames - remain_frames
      out[c] = ((p - prev_p[c]) + prev_remain[c]) - rh;
      prev_p[c] = p;
      prev_remain[c] = rh;
    }
    ++k;
  }
  return fires;
}

int64_t CifLoop(const float* hidden, int64_t hidden_rows, int64_t d, const float* alphas,
                int64_t t, float threshold, int64_t max_tokens, float* embeds, float* peaks) {
  if (max_tokens > 0) std::memset(embeds, 0, static_cast<size_t>(max_tokens * d) * sizeof(float));
  std::vector<float> frame(static_cast<size_t>(d), 0.f);
  float integrate = 0.f;
  int64_t fires = 0;
  for (int64_t i = 0; i < t; ++i) {
    const float alpha = alphas[i];
    const float completion = 1.f - integrate;
    integrate += alpha;
    peaks[i] = integrate;
    const bool fire = integrate >= threshold;
    if (fire) integrate -= 1.f;  // FunASR subtracts ones here, not the threshold
    const float cur = fire ? completion : alpha;
    const float rest = alpha - cur;
    const float* h = i < hidden_rows ? hidden + i * d : nullptr;
    if (h != nullptr) {
      for (int64_t c = 0; c < d; ++c) frame[c] += cur * h[c];
    }
    if (fire) {
      if (fires < max_tokens) {
        std::memcpy(embeds + fires * d, frame.data(), static_cast<size_t>(d) * sizeof(float));
      }
      ++fires;
      for (int64_t c = 0; c < d; ++c) frame[c] = h != nullptr ? rest * h[c] : 0.f;
    }
  }
  return fires;
}

void CifPeaks(const float* alphas, int64_t t, float threshold, float* peaks) {
  float integrate = 0.f;
  for (int64_t i = 0; i < t; ++i) {
    integrate += alphas[i];
    peaks[i] = integrate;
    if (integrate >= threshold) integrate -= threshold;
  }
}

}  // namespace funasr::layers
