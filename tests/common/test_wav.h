// Reading the reference wavs in tests the way FunASR does (torchaudio.load of 16-bit PCM:
// float = int16 / 32768).
#pragma once

#include <string>
#include <vector>

namespace funasr_test {

// Mono 16-bit wav -> floats in [-1, 1). Adds a test failure and returns {} when the file
// cannot be read; `sample_rate` (if given) receives the file's rate.
std::vector<float> ReadWavInt16(const std::string& path, int* sample_rate = nullptr);

}  // namespace funasr_test
