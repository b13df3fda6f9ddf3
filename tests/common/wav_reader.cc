#include "common/wav_reader.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "common/test_data.h"

namespace funasr_test {
namespace {

uint32_t U32(const std::string& b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3])) << 24;
}
uint16_t U16(const std::string& b, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                               static_cast<unsigned char>(b[at + 1]) << 8);
}

}  // namespace

std::vector<float> WavPcm16::MonoFloat() const {
  std::vector<float> out;
  const int ch = channels > 0 ? channels : 1;
  for (size_t i = 0; i < samples.size(); i += static_cast<size_t>(ch)) {
    out.push_back(static_cast<float>(samples[i]) / 32768.0f);
  }
  return out;
}

WavPcm16 ReadWavPcm16(const std::string& path) {
  const std::string b = ReadTextFile(path);
  if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) {
    throw std::runtime_error("not a RIFF/WAVE file: " + path);
  }
  WavPcm16 wav;
  bool have_fmt = false;
  size_t at = 12;
  while (at + 8 <= b.size()) {
    const std::string id = b.substr(at, 4);
    const uint32_t size = U32(b, at + 4);
    const size_t body = at + 8;
    if (body + size > b.size()) throw std::runtime_error("truncated chunk in " + path);
    if (id == "fmt ") {
      if (U16(b, body) != 1 || U16(b, body + 14) != 16) {
        throw std::runtime_error("not 16-bit PCM: " + path);
      }
      wav.channels = U16(b, body + 2);
      wav.sample_rate = static_cast<int>(U32(b, body + 4));
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) throw std::runtime_error("data before fmt in " + path);
      wav.samples.resize(size / 2);
      std::memcpy(wav.samples.data(), b.data() + body, wav.samples.size() * 2);
      return wav;
    }
    at = body + size + (size & 1);
  }
  throw std::runtime_error("no data chunk in " + path);
}

}  // namespace funasr_test
