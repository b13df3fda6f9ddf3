// libfunasr: audio input.
//
// Every FunASR model takes float32 mono samples in [-1, 1) at 16 kHz. These functions turn
// audio files (anything libsndfile reads: WAV/RF64/W64, FLAC, Ogg Vorbis/Opus, MP3, AIFF,
// CAF, ...) and in-memory PCM into exactly that, the way FunASR does it:
//   * integer PCM maps to value / 2^(bits-1): int16 / 32768, as torchaudio.load gives, so a
//     16 kHz 16-bit wav yields bit-identical samples to FunASR's;
//   * several channels are averaged (float sum over channels, divided by their count);
//   * other sample rates are resampled with libsoxr (high quality, linear phase); the output
//     has ceil(n * target_rate / rate) samples, the length torchaudio's Resample gives.
//
//   std::vector<float> samples = funasr::LoadAudio("speech.flac");           // 16 kHz mono
//   std::vector<float> s2 = funasr::ConvertPcm(pcm16, frames, 2, 44100);     // stereo 44.1k
//
//   funasr::AudioFileReader reader("long.mp3");                            // bounded memory
//   std::vector<float> block(16000);
//   while (size_t n = reader.Read(block.data(), block.size())) consume(block.data(), n);
//
// Errors are thrown as funasr::Error: kIoError for a missing, unreadable, empty or truncated
// file; kFormatError for a file that is not audio libsndfile can decode, holds no samples,
// or contains NaN/Inf samples; kInvalidArgument for bad arguments, an empty PCM buffer or
// NaN/Inf in a PCM buffer. Non-finite samples are rejected rather than cleaned up: they mean
// a corrupt source, and silently zeroing them would hide that. Finite float samples outside
// [-1, 1] are passed through unchanged (FunASR does not clip either).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace funasr {

// The sample rate every FunASR model in libfunasr expects.
constexpr int kModelSampleRate = 16000;
// Source and target sample rates outside [kMinSampleRate, kMaxSampleRate] are refused
// (kInvalidArgument for PCM, kUnsupported for a file), which bounds the resampling ratio.
constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 1000000;

// What a file's header says about the source audio.
struct AudioInfo {
  int sample_rate = 0;    // Hz
  int channels = 0;
  int64_t frames = -1;    // samples per channel as declared (-1: unknown)
  std::string format;     // e.g. "WAV (Microsoft), Signed 16 bit PCM"
  double duration_seconds() const {
    return frames >= 0 && sample_rate > 0 ? static_cast<double>(frames) / sample_rate : -1.0;
  }
};

// Reads only the header of `path`.
AudioInfo ProbeAudio(const std::string& path);

// Decodes the whole file to mono float32 at `target_rate`.
std::vector<float> LoadAudio(const std::string& path, int target_rate = kModelSampleRate);

// Converts interleaved PCM (`num_frames` frames of `channels` samples each, i.e.
// num_frames * channels values) at `sample_rate` to mono float32 at `target_rate`.
// int16 maps to value / 32768; float is taken as is.
std::vector<float> ConvertPcm(const int16_t* samples, size_t num_frames, int channels,
                              int sample_rate, int target_rate = kModelSampleRate);
std::vector<float> ConvertPcm(const float* samples, size_t num_frames, int channels,
                              int sample_rate, int target_rate = kModelSampleRate);

// ConvertPcm for a stream that arrives in pieces (e.g. a microphone): pieces of any size,
// output identical to converting the concatenation at once. An empty stream is allowed
// here (Finish() then yields nothing).
class PcmConverter {
 public:
  PcmConverter(int sample_rate, int channels, int target_rate = kModelSampleRate);
  ~PcmConverter();
  PcmConverter(PcmConverter&&) noexcept;
  PcmConverter& operator=(PcmConverter&&) noexcept;

  // Converts `num_frames` interleaved frames and appends the mono output that is ready to
  // `out` (the resampler holds back a short delay until Finish()).
  void Push(const int16_t* samples, size_t num_frames, std::vector<float>* out);
  void Push(const float* samples, size_t num_frames, std::vector<float>* out);
  // Ends the stream: appends the remaining output. Push() may not be called afterwards.
  void Finish(std::vector<float>* out);

  int64_t frames_in() const;     // frames pushed so far
  int64_t samples_out() const;   // output samples produced so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a file block by block, converted like LoadAudio, keeping only one block of
// decoded audio in memory (for multi-hour files).
class AudioFileReader {
 public:
  // Opens and checks the file (existence, format, truncation of WAV data, no samples).
  explicit AudioFileReader(const std::string& path, int target_rate = kModelSampleRate);
  ~AudioFileReader();
  AudioFileReader(AudioFileReader&&) noexcept;
  AudioFileReader& operator=(AudioFileReader&&) noexcept;

  const AudioInfo& info() const;  // the source's header
  const std::string& path() const;
  int target_rate() const;

  // Writes up to `max_samples` output samples to `out` and returns how many; 0 means the
  // end of the file. Throws on a decoding error, truncated data or a non-finite sample.
  size_t Read(float* out, size_t max_samples);
  // Appends up to `max_samples` samples to `out`; returns how many.
  size_t Read(std::vector<float>* out, size_t max_samples);

  int64_t samples_read() const;  // output samples returned so far
  bool at_end() const;           // true once Read() has returned everything

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace funasr
