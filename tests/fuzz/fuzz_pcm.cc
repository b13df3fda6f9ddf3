// libFuzzer target: in-memory PCM through the public API (funasr::ConvertPcm and a
// PcmConverter fed in pieces). The first bytes choose the layout — channels, sample rate,
// int16 or float, piece size — the rest are the samples. Invalid combinations must be a
// funasr::Error; valid ones must give exactly ceil(frames * 16000 / rate) samples, equal
// in one call and in pieces.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "funasr/audio.h"
#include "funasr/error.h"

namespace {

constexpr int kRates[] = {16000, 8000, 22050, 44100, 48000, 11025, 96000, 12345, 1000, 192000};

template <typename T>
void Check(const T* samples, size_t frames, int channels, int rate, size_t piece) {
  std::vector<float> whole;
  bool whole_ok = true;
  try {
    whole = funasr::ConvertPcm(samples, frames, channels, rate);
  } catch (const funasr::Error&) {
    whole_ok = false;
  }
  std::vector<float> pieces;
  bool pieces_ok = true;
  try {
    funasr::PcmConverter conv(rate, channels);
    for (size_t pos = 0; pos < frames; pos += piece)
      conv.Push(samples + pos * channels, std::min(piece, frames - pos), &pieces);
    conv.Finish(&pieces);
  } catch (const funasr::Error&) {
    pieces_ok = false;
  }
  if (whole_ok) {
    const int64_t want = (static_cast<int64_t>(frames) * 16000 + rate - 1) / rate;
    if (static_cast<int64_t>(whole.size()) != want) __builtin_trap();
    // Same samples through the stream (the resampler is deterministic in the piece size
    // only up to float rounding, so compare lengths and that both succeeded).
    if (!pieces_ok || pieces.size() != whole.size()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const int channels = 1 + data[0] % 8;
  const int rate = kRates[data[1] % (sizeof(kRates) / sizeof(kRates[0]))];
  const bool is_float = data[2] & 1;
  const size_t piece = 1 + data[3] % 97;
  data += 4;
  size -= 4;
  if (is_float) {
    std::vector<float> s(size / sizeof(float));
    if (!s.empty()) std::memcpy(s.data(), data, s.size() * sizeof(float));
    Check(s.data(), s.size() / channels, channels, rate, piece);
  } else {
    std::vector<int16_t> s(size / sizeof(int16_t));
    if (!s.empty()) std::memcpy(s.data(), data, s.size() * sizeof(int16_t));
    Check(s.data(), s.size() / channels, channels, rate, piece);
  }
  return 0;
}
