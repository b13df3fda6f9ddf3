// 16 kHz mono audio sources for the pipeline.
#include <algorithm>
#include <cstring>

#include "core/check.h"
#include "pipeline/pipeline_impl.h"

namespace funasr::pipeline {
namespace {

// Caller-owned 16 kHz float samples, read in place.
class PcmView final : public AudioSource {
 public:
  PcmView(const float* samples, size_t n) : samples_(samples), n_(n) {}
  size_t Read(float* out, size_t max) override {
    const size_t k = std::min(max, n_ - pos_);
    if (k) std::memcpy(out, samples_ + pos_, k * sizeof(float));
    pos_ += k;
    return k;
  }
  int64_t total_samples() const override { return static_cast<int64_t>(n_); }

 private:
  const float* samples_;
  size_t n_;
  size_t pos_ = 0;
};

// Caller-owned 16 kHz int16 samples, converted block by block (x / 32768 as torchaudio).
class Pcm16View final : public AudioSource {
 public:
  Pcm16View(const int16_t* samples, size_t n) : samples_(samples), n_(n) {}
  size_t Read(float* out, size_t max) override {
    const size_t k = std::min(max, n_ - pos_);
    for (size_t i = 0; i < k; ++i) out[i] = static_cast<float>(samples_[pos_ + i]) / 32768.0f;
    pos_ += k;
    return k;
  }
  int64_t total_samples() const override { return static_cast<int64_t>(n_); }

 private:
  const int16_t* samples_;
  size_t n_;
  size_t pos_ = 0;
};

void CheckRate(int sample_rate) {
  FUNASR_CHECK(sample_rate > 0, ErrorCode::kInvalidArgument, "sample rate must be > 0, got ",
               sample_rate);
  FUNASR_CHECK(sample_rate == kSampleRate, ErrorCode::kUnsupported, "sample rate ", sample_rate,
               ": resampling is not available yet (include/funasr/audio.h not landed); "
               "pass 16000 Hz audio");
}

}  // namespace

std::unique_ptr<AudioSource> OpenAudioFile(const std::string& path) {
  Fail(ErrorCode::kUnsupported, path,
       ": reading audio files is not available yet (include/funasr/audio.h not landed)");
}

std::unique_ptr<AudioSource> PcmSource(const float* samples, size_t n, int sample_rate) {
  CheckRate(sample_rate);
  return std::make_unique<PcmView>(samples, n);
}

std::unique_ptr<AudioSource> Pcm16Source(const int16_t* samples, size_t n, int sample_rate) {
  CheckRate(sample_rate);
  return std::make_unique<Pcm16View>(samples, n);
}

}  // namespace funasr::pipeline
