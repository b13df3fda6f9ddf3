// Streaming mono resampler over libsoxr (SOXR_HQ: 20-bit precision, linear phase) with
// torchaudio's output length: a stream of n input samples yields exactly
// ceil(n * out_rate / in_rate) output samples (the tail is trimmed or zero-padded by at
// most a sample or two at Finish()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

struct soxr;

namespace funasr::audio {

class Resampler {
 public:
  // Throws InvalidArgument for rates <= 0, Internal if soxr cannot be created.
  Resampler(int in_rate, int out_rate);
  ~Resampler();
  Resampler(const Resampler&) = delete;
  Resampler& operator=(const Resampler&) = delete;

  // Appends the output that is ready to `out`.
  void Push(const float* in, size_t n, std::vector<float>* out);
  // Flushes the filter delay and fixes the total length.
  void Finish(std::vector<float>* out);

  // ceil(n * out_rate / in_rate).
  static int64_t OutputLength(int64_t n, int in_rate, int out_rate);

 private:
  void Drain(const float* in, size_t n, std::vector<float>* out);

  int in_rate_;
  int out_rate_;
  soxr* soxr_ = nullptr;
  int64_t in_count_ = 0;
  int64_t out_count_ = 0;
  bool finished_ = false;
};

}  // namespace funasr::audio
