#include "audio/wav_header.h"

#include <cstring>
#include <fstream>

namespace funasr::audio {

namespace {
uint32_t Le32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
}  // namespace

WavDataExtent ReadWavDataExtent(const std::string& path) {
  WavDataExtent result;
  std::ifstream in(path, std::ios::binary);
  if (!in) return result;
  in.seekg(0, std::ios::end);
  const uint64_t file_size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  unsigned char header[12];
  if (!in.read(reinterpret_cast<char*>(header), 12)) return result;
  if (std::memcmp(header, "RIFF", 4) != 0 || std::memcmp(header + 8, "WAVE", 4) != 0) return result;
  uint64_t pos = 12;
  // A WAV has a handful of chunks; the bound only guards against a corrupt chain.
  for (int i = 0; i < 4096 && pos + 8 <= file_size; ++i) {
    unsigned char chunk[8];
    in.seekg(static_cast<std::streamoff>(pos));
    if (!in.read(reinterpret_cast<char*>(chunk), 8)) break;
    const uint32_t size = Le32(chunk + 4);
    if (std::memcmp(chunk, "data", 4) == 0) {
      result.found = true;
      result.declared = size;
      result.available = file_size - (pos + 8);
      return result;
    }
    pos += 8 + uint64_t{size} + (size & 1);  // chunks are padded to an even size
  }
  return result;
}

}  // namespace funasr::audio
