// Regression tests for the bugs fuzzing found (tests/fuzz/README.md lists them). Each input
// that crashed a fuzz target is also kept in tests/fuzz/regressions/<target>/ and replayed
// by every fuzzing run; the tests here pin the behaviour in every ordinary build.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "common/error_code.h"
#include "common/test_data.h"
#include "funasr/audio.h"
#include "funasr/error.h"

namespace funasr {
namespace {

std::string Tmp() {
  static const std::string dir = funasr_test::TempDir("fuzz_regressions");
  return dir;
}

using funasr_test::CodeOf;

// fuzz_audio_file: a WAV header claiming a sample rate of 1 Hz made LoadAudio reserve
// 16000 output samples per input sample (a 96 KB file asked for 3 GB and failed with
// std::bad_alloc instead of a funasr::Error; AudioFileReader would have produced them).
// Rates outside [kMinSampleRate, kMaxSampleRate] are now refused for files and PCM alike.
TEST(FuzzRegressions, AbsurdSampleRatesAreRefused) {
  const std::string path = Tmp() + "/rate_1hz.wav";
  {
    std::ifstream in(funasr_test::RequireData("reference/wavs/zh_3s.wav"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 44u);
    bytes[24] = 1, bytes[25] = bytes[26] = bytes[27] = 0;  // fmt sample rate = 1 Hz
    std::ofstream(path, std::ios::binary) << bytes;
  }
  std::string msg;
  EXPECT_EQ(CodeOf([&] { LoadAudio(path); }, &msg), ErrorCode::kFormatError);
  EXPECT_NE(msg.find("sample rate 1 Hz"), std::string::npos) << msg;
  EXPECT_NE(msg.find("rate_1hz.wav"), std::string::npos) << msg;
  EXPECT_EQ(CodeOf([&] { AudioFileReader r(path); }), ErrorCode::kFormatError);

  const std::vector<int16_t> pcm(1000, 100);
  for (int rate : {1, 999, 1000001, 2147483647}) {
    EXPECT_EQ(CodeOf([&] { ConvertPcm(pcm.data(), pcm.size(), 1, rate); }, &msg),
              ErrorCode::kInvalidArgument)
        << rate;
    EXPECT_EQ(CodeOf([&] { PcmConverter c(rate, 1); }), ErrorCode::kInvalidArgument) << rate;
    EXPECT_EQ(CodeOf([&] { ConvertPcm(pcm.data(), pcm.size(), 1, 16000, rate); }),
              ErrorCode::kInvalidArgument)
        << rate;
  }
  // The edges of the range work.
  EXPECT_EQ(ConvertPcm(pcm.data(), pcm.size(), 1, kMinSampleRate).size(), 16000u);
  EXPECT_EQ(ConvertPcm(pcm.data(), pcm.size(), 1, kMaxSampleRate).size(), 16u);
}

// fuzz_audio_file (timeout, then std::bad_alloc): a 1 KB FLAC whose STREAMINFO claimed 4.3
// billion frames made LoadAudio reserve the whole claimed length up front (17 GB), before
// decoding a single frame. The reservation is now capped (64 MB) and the file is reported
// as what it is: truncated.
TEST(FuzzRegressions, HeaderClaimingBillionsOfFramesIsNotTrusted) {
  const std::string path = Tmp() + "/claims_2p36_frames.flac";
  {
    SF_INFO info{};
    info.samplerate = 16000;
    info.channels = 1;
    info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr);
    std::vector<short> x(4000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<short>((i * 37) % 2000 - 1000);
    sf_writef_short(f, x.data(), static_cast<sf_count_t>(x.size()));
    sf_close(f);
  }
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  ASSERT_EQ(bytes.compare(0, 4, "fLaC"), 0);
  // STREAMINFO's 36-bit total-samples field: low nibble of byte 21 and bytes 22..25.
  bytes[21] = static_cast<char>(bytes[21] | 0x0f);
  for (int i = 22; i < 26; ++i) bytes[i] = '\xff';
  std::ofstream(path, std::ios::binary) << bytes;

  EXPECT_EQ(ProbeAudio(path).frames, (int64_t{1} << 36) - 1);
  std::string msg;
  EXPECT_EQ(CodeOf([&] { LoadAudio(path); }, &msg), ErrorCode::kIoError);
  EXPECT_NE(msg.find("truncated"), std::string::npos) << msg;
  // The fuzzer's own input (kept in tests/fuzz/regressions/audio_file/).
  const std::string found =
      std::string(FUNASR_SOURCE_DIR) + "/tests/fuzz/regressions/audio_file/flac_claims_4g_frames.flac";
  const ErrorCode code = CodeOf([&] { LoadAudio(found); }, &msg);
  EXPECT_TRUE(code == ErrorCode::kIoError || code == ErrorCode::kFormatError) << msg;
}

}  // namespace
}  // namespace funasr
