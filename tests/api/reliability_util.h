// Helpers shared by the reliability tests (bad-input matrix, concurrency, soak): model
// paths, generated audio files, resident memory.
#pragma once

#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "funasr/audio.h"
#include "funasr/error.h"
#include "funasr/pipeline.h"

namespace funasr_reliability {

using funasr::Error;
using funasr::ErrorCode;
using funasr::Pipeline;
using funasr::PipelineConfig;

// Sanitizer builds: timings and resident memory mean little there (ASan keeps freed memory
// in quarantine; TSan shadows every byte), and the tests scale their sizes down.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// The models every reliability test uses: the real FSMN-VAD, the seeded tiny ASR models
// (random weights in FunASR's released layout) and the tiny CT-Transformer.
inline std::string VadDir() { return funasr_test::FindData("models/fsmn-vad"); }
inline std::string ModelDir(const std::string& name) {
  return funasr_test::FindData("reference/models/" + name);
}
inline std::string WavPath(const std::string& name) {
  return funasr_test::FindData("reference/wavs/" + name + ".wav");
}

// The ASR model of the reliability pipelines: the tiny SeACo-Paraformer (hotwords) when
// the pipeline supports it, else the tiny BiCif-Paraformer (hotwords are then ignored, as
// the pipeline documents for models without hotword support).
inline std::string HotwordAsrModel() {
  static const std::string name = [] {
    try {
      PipelineConfig c;
      c.asr_model = ModelDir("seaco-paraformer-tiny");
      Pipeline::Load(c);
      return std::string("seaco-paraformer-tiny");
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kUnsupported) throw;
      std::printf("  (SeACo not supported by the pipeline yet: using bicif-paraformer-tiny)\n");
      return std::string("bicif-paraformer-tiny");
    }
  }();
  return name;
}

// Resident set size of this process in bytes (/proc/self/statm, second field).
inline int64_t ResidentBytes() {
  std::ifstream in("/proc/self/statm");
  int64_t size = 0, resident = 0;
  in >> size >> resident;
  return resident * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

inline double Mb(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

// Writes interleaved samples (in [-1, 1], NaN/Inf passed through) with libsndfile.
inline void WriteSoundFile(const std::string& path, int format, int rate, int channels,
                           const std::vector<double>& interleaved) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  // No clipping or normalisation by libsndfile: the test controls the values.
  sf_command(f, SFC_SET_CLIPPING, nullptr, SF_FALSE);
  sf_command(f, SFC_SET_NORM_DOUBLE, nullptr, SF_TRUE);
  EXPECT_EQ(sf_writef_double(f, interleaved.data(), interleaved.size() / channels),
            static_cast<sf_count_t>(interleaved.size() / channels));
  sf_close(f);
}

// Writes interleaved 16-bit samples exactly (libsndfile's int API: value << 16 is full
// scale), so that every wider format holds the same values and reads back bit-identical.
inline void WriteSoundFile(const std::string& path, int format, int rate, int channels,
                           const std::vector<int16_t>& interleaved) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path << ": " << sf_strerror(nullptr);
  const int sub = format & SF_FORMAT_SUBMASK;
  const sf_count_t frames = static_cast<sf_count_t>(interleaved.size() / channels);
  if (sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE) {
    // Float files store the values themselves: int16 / 32768, exact in float.
    std::vector<float> x(interleaved.size());
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(interleaved[i]) / 32768.f;
    EXPECT_EQ(sf_writef_float(f, x.data(), frames), frames);
  } else {
    std::vector<int> wide(interleaved.size());
    for (size_t i = 0; i < wide.size(); ++i) wide[i] = static_cast<int>(interleaved[i]) * 65536;
    EXPECT_EQ(sf_writef_int(f, wide.data(), frames), frames);
  }
  sf_close(f);
}

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A canonical 44-byte header of a mono 16-bit PCM wav holding `data_bytes` bytes.
inline std::string WavHeader16(int rate, uint32_t data_bytes) {
  std::string h;
  auto u32 = [&h](uint32_t v) {
    for (int i = 0; i < 4; ++i) h.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  auto u16 = [&h](uint16_t v) {
    h.push_back(static_cast<char>(v & 0xff));
    h.push_back(static_cast<char>(v >> 8));
  };
  h += "RIFF";
  u32(36 + data_bytes);
  h += "WAVEfmt ";
  u32(16);
  u16(1);  // PCM
  u16(1);  // mono
  u32(static_cast<uint32_t>(rate));
  u32(static_cast<uint32_t>(rate) * 2);
  u16(2);
  u16(16);
  h += "data";
  u32(data_bytes);
  return h;
}

inline std::vector<int16_t> ToInt16(const std::vector<float>& x) {
  std::vector<int16_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = std::round(static_cast<double>(x[i]) * 32768.0);
    out[i] = static_cast<int16_t>(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
  }
  return out;
}

}  // namespace funasr_reliability
