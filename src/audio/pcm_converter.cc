// PcmConverter / ConvertPcm: interleaved PCM of any rate and channel count -> mono float32
// at the target rate (include/funasr/audio.h).
#include <cmath>
#include <optional>

#include "audio/resampler.h"
#include "core/check.h"
#include "funasr/audio.h"

namespace funasr {

struct PcmConverter::Impl {
  int sample_rate;
  int channels;
  int target_rate;
  std::optional<audio::Resampler> resampler;  // absent when the rates are equal
  std::vector<float> mono;
  int64_t frames_in = 0;
  int64_t samples_out = 0;
  bool finished = false;

  // Averages channels like torch's mean(0): float sum over channels, then / channels.
  template <typename T>
  void Mix(const T* in, size_t frames, float scale) {
    mono.resize(frames);
    for (size_t f = 0; f < frames; ++f) {
      const T* frame = in + f * channels;
      float sum = static_cast<float>(frame[0]) * scale;
      for (int c = 1; c < channels; ++c) sum += static_cast<float>(frame[c]) * scale;
      mono[f] = channels == 1 ? sum : sum / static_cast<float>(channels);
    }
  }

  void CheckFinite(size_t frames) const {
    for (size_t f = 0; f < frames; ++f) {
      if (!std::isfinite(mono[f]))
        Fail(ErrorCode::kInvalidArgument, "PCM input: non-finite sample (NaN or Inf) in frame ",
             frames_in + static_cast<int64_t>(f), " (",
             static_cast<double>(frames_in + static_cast<int64_t>(f)) / sample_rate, " s)");
    }
  }

  template <typename T>
  void Push(const T* in, size_t frames, float scale, std::vector<float>* out) {
    FUNASR_CHECK(!finished, ErrorCode::kInvalidArgument, "PcmConverter: Push after Finish");
    FUNASR_CHECK(in != nullptr || frames == 0, ErrorCode::kInvalidArgument,
                 "PcmConverter: null samples with ", frames, " frames");
    if (frames == 0) return;
    Mix(in, frames, scale);
    CheckFinite(frames);
    frames_in += static_cast<int64_t>(frames);
    const size_t old = out->size();
    if (resampler) {
      resampler->Push(mono.data(), frames, out);
    } else {
      out->insert(out->end(), mono.begin(), mono.end());
    }
    samples_out += static_cast<int64_t>(out->size() - old);
  }
};

PcmConverter::PcmConverter(int sample_rate, int channels, int target_rate)
    : impl_(std::make_unique<Impl>()) {
  // Bounded rates bound the resampling ratio (at most 16x more output samples than input
  // for a 16 kHz target): a header claiming 1 Hz must not turn a small file into gigabytes.
  FUNASR_CHECK(sample_rate >= kMinSampleRate && sample_rate <= kMaxSampleRate,
               ErrorCode::kInvalidArgument, "PCM input: sample rate must be in [", kMinSampleRate,
               ", ", kMaxSampleRate, "] Hz, got ", sample_rate);
  FUNASR_CHECK(target_rate >= kMinSampleRate && target_rate <= kMaxSampleRate,
               ErrorCode::kInvalidArgument, "PCM input: target sample rate must be in [",
               kMinSampleRate, ", ", kMaxSampleRate, "] Hz, got ", target_rate);
  FUNASR_CHECK(channels >= 1, ErrorCode::kInvalidArgument, "PCM input: channels must be >= 1, got ",
               channels);
  impl_->sample_rate = sample_rate;
  impl_->channels = channels;
  impl_->target_rate = target_rate;
  if (sample_rate != target_rate) impl_->resampler.emplace(sample_rate, target_rate);
}

PcmConverter::~PcmConverter() = default;
PcmConverter::PcmConverter(PcmConverter&&) noexcept = default;
PcmConverter& PcmConverter::operator=(PcmConverter&&) noexcept = default;

void PcmConverter::Push(const int16_t* samples, size_t num_frames, std::vector<float>* out) {
  impl_->Push(samples, num_frames, 1.f / 32768.f, out);
}

void PcmConverter::Push(const float* samples, size_t num_frames, std::vector<float>* out) {
  impl_->Push(samples, num_frames, 1.f, out);
}

void PcmConverter::Finish(std::vector<float>* out) {
  FUNASR_CHECK(!impl_->finished, ErrorCode::kInvalidArgument, "PcmConverter: Finish called twice");
  impl_->finished = true;
  if (!impl_->resampler) return;
  const size_t old = out->size();
  impl_->resampler->Finish(out);
  impl_->samples_out += static_cast<int64_t>(out->size() - old);
}

int64_t PcmConverter::frames_in() const { return impl_->frames_in; }
int64_t PcmConverter::samples_out() const { return impl_->samples_out; }

namespace {

template <typename T>
std::vector<float> ConvertAll(const T* samples, size_t num_frames, int channels, int sample_rate,
                              int target_rate) {
  FUNASR_CHECK(num_frames > 0, ErrorCode::kInvalidArgument,
               "PCM input: empty buffer (0 frames); there is no audio to process");
  PcmConverter converter(sample_rate, channels, target_rate);
  std::vector<float> out;
  out.reserve(static_cast<size_t>(
      audio::Resampler::OutputLength(static_cast<int64_t>(num_frames), sample_rate, target_rate)));
  converter.Push(samples, num_frames, &out);
  converter.Finish(&out);
  return out;
}

}  // namespace

std::vector<float> ConvertPcm(const int16_t* samples, size_t num_frames, int channels,
                              int sample_rate, int target_rate) {
  return ConvertAll(samples, num_frames, channels, sample_rate, target_rate);
}

std::vector<float> ConvertPcm(const float* samples, size_t num_frames, int channels,
                              int sample_rate, int target_rate) {
  return ConvertAll(samples, num_frames, channels, sample_rate, target_rate);
}

}  // namespace funasr
