// A minimal reader for the golden 16-bit PCM WAV inputs, so that tests can check the
// samples handed between pipeline stages independently of libfunasr's audio reader.
#pragma once

#include <string>
#include <vector>

namespace funasr_test {

struct WavPcm16 {
  int sample_rate = 0;
  int channels = 0;
  std::vector<int16_t> samples;  // interleaved
  // samples / 32768 (torchaudio.load), first channel.
  std::vector<float> MonoFloat() const;
};

// Reads a RIFF/WAVE file with a PCM (format 1) 16-bit data chunk. Throws on anything else.
WavPcm16 ReadWavPcm16(const std::string& path);

}  // namespace funasr_test
