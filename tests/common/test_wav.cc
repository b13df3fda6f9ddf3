#include "common/test_wav.h"

#include <gtest/gtest.h>
#include <sndfile.h>

namespace funasr_test {

std::vector<float> ReadWavInt16(const std::string& path, int* sample_rate) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (!f) {
    ADD_FAILURE() << "cannot open wav " << path;
    return {};
  }
  EXPECT_EQ(info.channels, 1) << path;
  if (sample_rate) *sample_rate = info.samplerate;
  std::vector<short> pcm(static_cast<size_t>(info.frames));
  const sf_count_t got = sf_read_short(f, pcm.data(), info.frames);
  sf_close(f);
  EXPECT_EQ(got, info.frames) << path;
  std::vector<float> out(pcm.size());
  for (size_t i = 0; i < pcm.size(); ++i) out[i] = static_cast<float>(pcm[i]) / 32768.f;
  return out;
}

}  // namespace funasr_test
