// The bad-input matrix (issue 9): every kind of awkward or broken input, through the
// top-level APIs (funasr::Pipeline, the model Load functions, the C API). Each gives a clear
// error (funasr::Error / a funasr_status with a message naming the file, key or argument) or
// a correct, possibly empty result — never a crash, a hang or garbage.
//
// Models: the real FSMN-VAD (so that silence, noise and speech are judged for real), the
// seeded tiny BiCif-Paraformer / SeACo-Paraformer (random weights in FunASR's layout: their
// text is arbitrary but deterministic, so results are compared with the clean input's) and
// the tiny CT-Transformer.
//
// Unit-level edge cases of the parts live with them (tests/unit/audio_test.cc: every reader
// error; tests/api/vad_api_test.cc: empty and sub-frame VAD input; punctuation_api_test.cc:
// empty text, invalid UTF-8); this matrix runs the whole list end to end.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "api/reliability_util.h"
#include "common/error_code.h"
#include "funasr/asr.h"
#include "funasr/audio.h"
#include "funasr/error.h"
#include "funasr/funasr.h"
#include "funasr/pipeline.h"
#include "funasr/punctuation.h"
#include "funasr/vad.h"

namespace funasr {
namespace {

namespace fs = std::filesystem;
using namespace funasr_reliability;

// ---- fixtures ----------------------------------------------------------------------------

std::string Tmp() {
  static const std::string dir = funasr_test::TempDir("bad_input_matrix");
  return dir;
}
std::string TmpPath(const std::string& name) { return Tmp() + "/" + name; }

PipelineConfig FullConfig(const std::string& asr = "bicif-paraformer-tiny") {
  PipelineConfig c;
  c.vad_model = VadDir();
  c.asr_model = ModelDir(asr);
  c.punc_model = ModelDir("ct-punc-tiny");
  return c;
}

// VAD + BiCif (timestamps) + punctuation, loaded once.
const Pipeline& Full() {
  static std::shared_ptr<const Pipeline> p = Pipeline::Load(FullConfig());
  return *p;
}
// VAD + SeACo (hotwords) + punctuation; null while the pipeline has no hotword model.
const Pipeline* HotwordPipeline() {
  static std::shared_ptr<const Pipeline> p =
      HotwordAsrModel() == "seaco-paraformer-tiny" ? Pipeline::Load(FullConfig(HotwordAsrModel()))
                                                   : nullptr;
  return p.get();
}
#define REQUIRE_HOTWORD_PIPELINE()                                                       \
  if (!HotwordPipeline()) GTEST_SKIP() << "the pipeline does not take SeACo models yet"; \
  const Pipeline& hotword = *HotwordPipeline()

// The clean reference input: FunASR's asr_example_zh (5.6 s of Mandarin, 16 kHz int16).
const std::vector<float>& Speech() {
  static const std::vector<float> s = LoadAudio(WavPath("asr_example_zh"));
  return s;
}
const TranscriptionResult& Reference() {
  static const TranscriptionResult r = Full().TranscribeFile(WavPath("asr_example_zh"));
  return r;
}

std::vector<double> ToDouble(const std::vector<float>& x, double gain = 1.0) {
  std::vector<double> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) out[i] = x[i] * gain;
  return out;
}

// Interleaves `channels` copies of a mono signal.
template <typename T>
std::vector<T> Replicate(const std::vector<T>& mono, int channels) {
  std::vector<T> out(mono.size() * channels);
  for (size_t i = 0; i < mono.size(); ++i)
    for (int c = 0; c < channels; ++c) out[i * channels + c] = mono[i];
  return out;
}

using funasr_test::CodeOf;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool ValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (int k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n;
  }
  return true;
}

// A result is never garbage: valid UTF-8, segments ordered inside the audio, timestamps
// ordered inside their segments, sentences made of the result's own timestamps.
void ExpectWellFormed(const TranscriptionResult& r, double duration_ms) {
  EXPECT_NEAR(r.duration_ms, duration_ms, 1.0);
  EXPECT_TRUE(ValidUtf8(r.text)) << r.text;
  EXPECT_TRUE(ValidUtf8(r.raw_text)) << r.raw_text;
  int64_t prev = 0;
  for (const TimeSpanMs& s : r.vad_segments) {
    EXPECT_GE(s.start, prev);
    EXPECT_LT(s.start, s.end);
    EXPECT_LE(s.end, static_cast<int64_t>(duration_ms) + 1);
    prev = s.end;
  }
  ASSERT_EQ(r.segments.size(), r.vad_segments.size());
  for (size_t i = 0; i < r.segments.size(); ++i) {
    const SegmentTranscript& seg = r.segments[i];
    EXPECT_EQ(seg.span, r.vad_segments[i]);
    EXPECT_TRUE(ValidUtf8(seg.text));
    for (const TimeSpanMs& t : seg.timestamps) {
      // FunASR's token times may start up to one frame (30 ms... 60 ms) before the segment.
      EXPECT_GE(t.start, seg.span.start - 100) << ToAutoModelJson(r);
      EXPECT_LE(t.start, t.end);
      EXPECT_LE(t.end, seg.span.end + 100) << ToAutoModelJson(r);
    }
  }
  for (size_t i = 1; i < r.timestamps.size(); ++i)
    EXPECT_LE(r.timestamps[i - 1].start, r.timestamps[i].start);
  size_t sentence_tokens = 0;
  for (const SentenceInfo& s : r.sentences) {
    EXPECT_TRUE(ValidUtf8(s.text));
    EXPECT_LE(s.start_ms, s.end_ms);
    sentence_tokens += s.timestamps.size();
  }
  if (!r.sentences.empty()) {
    EXPECT_EQ(sentence_tokens, r.timestamps.size());
  }
  if (r.text.empty()) {
    EXPECT_TRUE(r.timestamps.empty());
    EXPECT_TRUE(r.sentences.empty());
  }
}

// An empty result: no speech found, no text.
void ExpectEmpty(const TranscriptionResult& r) {
  EXPECT_TRUE(r.vad_segments.empty()) << ToAutoModelJson(r);
  EXPECT_EQ(r.text, "");
  EXPECT_EQ(r.raw_text, "");
  EXPECT_TRUE(r.timestamps.empty());
  EXPECT_TRUE(r.sentences.empty());
}

// VAD segments of `r` each within `tol_ms` of the reference's.
void ExpectSegmentsNear(const TranscriptionResult& r, const TranscriptionResult& ref,
                        int64_t tol_ms) {
  ASSERT_EQ(r.vad_segments.size(), ref.vad_segments.size()) << ToAutoModelJson(r);
  for (size_t i = 0; i < r.vad_segments.size(); ++i) {
    EXPECT_NEAR(r.vad_segments[i].start, ref.vad_segments[i].start, tol_ms);
    EXPECT_NEAR(r.vad_segments[i].end, ref.vad_segments[i].end, tol_ms);
  }
}

// The C API's view of a file: status, last error and (on success) the result JSON.
struct CResult {
  int status = -1;
  std::string error;
  std::string json;
  int n_vad_segments = -1;
};

funasr_context* CContext(const char* vad, const char* asr, const char* punc) {
  funasr_context_params cp = funasr_context_default_params();
  cp.vad_model = vad;
  cp.asr_model = asr;
  cp.punc_model = punc;
  funasr_context* ctx = nullptr;
  EXPECT_EQ(funasr_context_create(&cp, &ctx), FUNASR_OK) << funasr_last_error();
  return ctx;
}

funasr_context* CFull() {
  static const std::string vad = VadDir(), asr = ModelDir("bicif-paraformer-tiny"),
                           punc = ModelDir("ct-punc-tiny");
  static funasr_context* ctx = CContext(vad.c_str(), asr.c_str(), punc.c_str());
  return ctx;
}

CResult CFile(const std::string& path, const char* hotwords = nullptr,
              funasr_context* ctx = CFull()) {
  CResult out;
  funasr_transcribe_params tp = funasr_transcribe_default_params();
  tp.hotwords = hotwords;
  funasr_result* res = reinterpret_cast<funasr_result*>(1);
  out.status = funasr_transcribe_file(ctx, nullptr, path.c_str(), &tp, &res);
  out.error = funasr_last_error();
  if (out.status == FUNASR_OK) {
    out.json = funasr_result_json(res);
    out.n_vad_segments = funasr_result_n_vad_segments(res);
  } else {
    EXPECT_EQ(res, nullptr) << "a failed call must leave *out NULL";
  }
  funasr_result_free(out.status == FUNASR_OK ? res : nullptr);
  return out;
}

// ---- files that are not (complete) audio --------------------------------------------------

TEST(BadInputMatrix, EmptyFile) {
  const std::string path = TmpPath("empty.wav");
  WriteBytes(path, "");
  std::string msg;
  EXPECT_EQ(CodeOf([&] { Full().TranscribeFile(path); }, &msg), ErrorCode::kIoError);
  EXPECT_TRUE(Contains(msg, "empty.wav") && Contains(msg, "empty")) << msg;
  const CResult c = CFile(path);
  EXPECT_EQ(c.status, FUNASR_ERR_IO);
  EXPECT_TRUE(Contains(c.error, "empty.wav")) << c.error;
}

TEST(BadInputMatrix, HeaderOnlyWav) {
  const std::string path = TmpPath("header_only.wav");
  WriteBytes(path, WavHeader16(16000, 0));
  std::string msg;
  EXPECT_EQ(CodeOf([&] { Full().TranscribeFile(path); }, &msg), ErrorCode::kFormatError);
  EXPECT_TRUE(Contains(msg, "header_only.wav") && Contains(msg, "no audio samples")) << msg;
  EXPECT_EQ(CFile(path).status, FUNASR_ERR_FORMAT);
}

TEST(BadInputMatrix, TruncatedWav) {
  const std::vector<int16_t> pcm = ToInt16(Speech());
  std::string bytes = WavHeader16(16000, static_cast<uint32_t>(pcm.size() * 2));
  bytes.append(reinterpret_cast<const char*>(pcm.data()), pcm.size());  // half the data
  const std::string path = TmpPath("truncated.wav");
  WriteBytes(path, bytes);
  std::string msg;
  EXPECT_EQ(CodeOf([&] { Full().TranscribeFile(path); }, &msg), ErrorCode::kIoError);
  EXPECT_TRUE(Contains(msg, "truncated.wav") && Contains(msg, "truncated")) << msg;
  const CResult c = CFile(path);
  EXPECT_EQ(c.status, FUNASR_ERR_IO);
  EXPECT_TRUE(Contains(c.error, "truncated")) << c.error;
}

TEST(BadInputMatrix, WrongExtensionIsDecodedByContent) {
  const std::string wav = funasr_test::ReadTextFile(WavPath("asr_example_zh"));
  const std::string want = ToAutoModelJson(Reference());
  for (const char* name : {"speech.mp3", "speech.txt", "speech.flac", "speech"}) {
    const std::string path = TmpPath(name);
    WriteBytes(path, wav);
    TranscribeOptions o;
    o.key = "asr_example_zh";
    EXPECT_EQ(ToAutoModelJson(Full().TranscribeFile(path, o)), want) << name;
  }
}

TEST(BadInputMatrix, NonAudioBytes) {
  std::mt19937 rng(9);
  std::string noise(20000, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  const std::pair<const char*, std::string> cases[] = {
      {"random.wav", noise},
      {"random.mp3", noise},
      {"text.wav", "this is a text file, not audio\n"},
      {"json.flac", "{\"key\": \"value\"}"},
      {"png.wav", std::string("\x89PNG\r\n\x1a\n", 8) + noise.substr(0, 1000)},
      {"riff_not_wave.wav", "RIFF\x24\x00\x00\x00" + std::string("AVI LIST") + noise.substr(0, 64)},
  };
  for (const auto& [name, bytes] : cases) {
    const std::string path = TmpPath(name);
    WriteBytes(path, bytes);
    std::string msg;
    const ErrorCode code = CodeOf([&] { Full().TranscribeFile(path); }, &msg);
    EXPECT_TRUE(code == ErrorCode::kFormatError || code == ErrorCode::kIoError)
        << name << ": " << static_cast<int>(code) << " " << msg;
    EXPECT_TRUE(Contains(msg, name)) << msg;
    const CResult c = CFile(path);
    EXPECT_TRUE(c.status == FUNASR_ERR_FORMAT || c.status == FUNASR_ERR_IO) << name;
    std::printf("  %-18s -> %s\n", name, msg.c_str());
  }
}

// ---- valid audio in every shape ----------------------------------------------------------

TEST(BadInputMatrix, SampleRates) {
  const TranscriptionResult& ref = Reference();
  ASSERT_FALSE(ref.vad_segments.empty());
  for (int rate : {8000, 22050, 44100, 48000}) {
    // The reference resampled to `rate` and stored as 16-bit: the pipeline resamples back.
    const std::vector<float> x = LoadAudio(WavPath("asr_example_zh"), rate);
    const std::vector<int16_t> pcm = ToInt16(x);
    const std::string path = TmpPath("rate_" + std::to_string(rate) + ".wav");
    WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, rate, 1, pcm);
    const TranscriptionResult r = Full().TranscribeFile(path);
    ExpectWellFormed(r, ref.duration_ms);
    // The VAD sees nearly the same audio (8 kHz loses everything above 4 kHz).
    ExpectSegmentsNear(r, ref, rate == 8000 ? 200 : 50);
    EXPECT_FALSE(r.text.empty()) << rate;
    // In-memory PCM at the same rate gives the file's result.
    TranscribeOptions o;
    o.key = r.key;
    EXPECT_EQ(ToAutoModelJson(Full().TranscribePcm16(pcm.data(), pcm.size(), rate, o)),
              ToAutoModelJson(r))
        << rate;
    std::printf("  %5d Hz: %zu segments, text %zu bytes\n", rate, r.vad_segments.size(),
                r.text.size());
  }
}

TEST(BadInputMatrix, StereoAndSixChannels) {
  const std::vector<int16_t> mono = ToInt16(Speech());
  const std::string want = ToAutoModelJson(Reference());
  for (int channels : {2, 6}) {
    const std::string path = TmpPath("ch" + std::to_string(channels) + ".wav");
    WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, channels,
                   Replicate(mono, channels));
    TranscribeOptions o;
    o.key = "asr_example_zh";
    // Identical channels average to the mono signal (exactly for 2; within float rounding
    // for 6, which the models do not notice).
    EXPECT_EQ(ToAutoModelJson(Full().TranscribeFile(path, o)), want) << channels;
  }
  // Speech in one channel of six, silence in the others: a quieter mono mix, still speech.
  std::vector<int16_t> one_of_six(mono.size() * 6, 0);
  for (size_t i = 0; i < mono.size(); ++i) one_of_six[i * 6 + 3] = mono[i];
  const std::string path = TmpPath("one_of_six.wav");
  WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 16000, 6, one_of_six);
  const TranscriptionResult r = Full().TranscribeFile(path);
  ExpectWellFormed(r, Reference().duration_ms);
  EXPECT_FALSE(r.vad_segments.empty());
}

TEST(BadInputMatrix, SampleFormats) {
  const std::vector<int16_t> mono = ToInt16(Speech());
  const std::string want = ToAutoModelJson(Reference());
  TranscribeOptions o;
  o.key = "asr_example_zh";
  // 24-bit, 32-bit, float and double hold the 16-bit values exactly: identical results.
  for (auto [name, format] : {std::pair{"pcm24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24},
                              std::pair{"pcm32.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32},
                              std::pair{"float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT},
                              std::pair{"double.wav", SF_FORMAT_WAV | SF_FORMAT_DOUBLE},
                              std::pair{"flac16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16}}) {
    const std::string path = TmpPath(name);
    WriteSoundFile(path, format, 16000, 1, mono);
    EXPECT_EQ(ToAutoModelJson(Full().TranscribeFile(path, o)), want) << name;
  }
  // 8-bit (unsigned, as WAV stores it): 48 dB less resolution; the VAD still finds the same
  // speech.
  const std::string path8 = TmpPath("pcm8.wav");
  WriteSoundFile(path8, SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 16000, 1, mono);
  const TranscriptionResult r = Full().TranscribeFile(path8);
  ExpectWellFormed(r, Reference().duration_ms);
  ExpectSegmentsNear(r, Reference(), 200);
  EXPECT_FALSE(r.text.empty());
}

TEST(BadInputMatrix, NanAndInfSamples) {
  for (double bad : {std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    std::vector<double> x = ToDouble(Speech());
    x[x.size() / 2] = bad;
    const std::string path = TmpPath("nonfinite.wav");
    WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, x);
    std::string msg;
    EXPECT_EQ(CodeOf([&] { Full().TranscribeFile(path); }, &msg), ErrorCode::kFormatError);
    EXPECT_TRUE(Contains(msg, "non-finite") && Contains(msg, "nonfinite.wav")) << msg;
    EXPECT_EQ(CFile(path).status, FUNASR_ERR_FORMAT);

    // The same samples handed over in memory.
    std::vector<float> pcm(x.begin(), x.end());
    EXPECT_EQ(CodeOf([&] { Full().TranscribePcm(pcm.data(), pcm.size(), 16000); }, &msg),
              ErrorCode::kInvalidArgument);
    EXPECT_TRUE(Contains(msg, "finite")) << msg;
    funasr_result* res = nullptr;
    EXPECT_EQ(funasr_transcribe_pcm_f32(CFull(), nullptr, pcm.data(), pcm.size(), 16000, nullptr,
                                        &res),
              FUNASR_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(res, nullptr);
  }
}

TEST(BadInputMatrix, FullScaleClipping) {
  // 30x gain: most samples hit +-1 (a square-ish wave), stored as 16-bit full scale.
  std::vector<double> x = ToDouble(Speech(), 30.0);
  size_t clipped = 0;
  for (double& v : x) {
    if (std::abs(v) >= 1.0) ++clipped;
    v = std::clamp(v, -1.0, 32767.0 / 32768.0);
  }
  const std::string path = TmpPath("clipped.wav");
  WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, x);
  const TranscriptionResult r = Full().TranscribeFile(path);
  ExpectWellFormed(r, Reference().duration_ms);
  EXPECT_FALSE(r.vad_segments.empty());
  // Floats beyond [-1, 1] in memory are passed through unchanged (FunASR does not clip).
  std::vector<float> loud = Speech();
  for (float& v : loud) v *= 30.f;
  ExpectWellFormed(Full().TranscribePcm(loud.data(), loud.size(), 16000),
                   Reference().duration_ms);
  std::printf("  %.0f %% of the samples clipped: %zu segments\n",
              100.0 * clipped / x.size(), r.vad_segments.size());
}

TEST(BadInputMatrix, PureSilence) {
  const std::vector<int16_t> zeros(16000 * 10, 0);
  const std::string path = TmpPath("silence.wav");
  WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, zeros);
  const TranscriptionResult r = Full().TranscribeFile(path);
  ExpectEmpty(r);
  EXPECT_EQ(r.duration_ms, 10000);
  const std::vector<float> pcm(zeros.size(), 0.f);
  ExpectEmpty(Full().TranscribePcm(pcm.data(), pcm.size(), 16000));
  const CResult c = CFile(path);
  ASSERT_EQ(c.status, FUNASR_OK) << c.error;
  EXPECT_EQ(c.n_vad_segments, 0);
  // Without a VAD the silence reaches the recogniser itself: still no text.
  PipelineConfig no_vad = FullConfig();
  no_vad.vad_model.clear();
  const TranscriptionResult r2 = Pipeline::Load(no_vad)->TranscribeFile(path);
  EXPECT_EQ(r2.duration_ms, 10000);
  EXPECT_TRUE(ValidUtf8(r2.text));
}

TEST(BadInputMatrix, LowLevelNoiseOnly) {
  std::mt19937 rng(4);
  std::normal_distribution<double> n(0.0, 0.001);  // -60 dBFS white noise
  std::vector<double> x(16000 * 10);
  for (double& v : x) v = n(rng);
  const std::string path = TmpPath("noise.wav");
  WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, x);
  ExpectEmpty(Full().TranscribeFile(path));
}

TEST(BadInputMatrix, HundredMillisecondsOfSpeech) {
  // 100 ms from the middle of the first spoken segment.
  const TimeSpanMs seg = Reference().vad_segments.at(0);
  const size_t start = static_cast<size_t>((seg.start + seg.end) / 2) * 16;
  const std::vector<float> x(Speech().begin() + start, Speech().begin() + start + 1600);
  const std::string path = TmpPath("speech_100ms.wav");
  WriteSoundFile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, ToInt16(x));
  const TranscriptionResult r = Full().TranscribeFile(path);
  ExpectWellFormed(r, 100);
  // Too short for the VAD's 150 ms speech onset: nothing, or at most one short segment.
  EXPECT_LE(r.vad_segments.size(), 1u);
  // Without a VAD the recogniser gets the 100 ms itself (a handful of frames).
  PipelineConfig no_vad = FullConfig();
  no_vad.vad_model.clear();
  const TranscriptionResult r2 = Pipeline::Load(no_vad)->TranscribePcm(x.data(), x.size(), 16000);
  EXPECT_EQ(r2.duration_ms, 100);
  EXPECT_TRUE(ValidUtf8(r2.text));
  // Shorter still: one sample, one LFR frame's worth.
  for (size_t n : {size_t{1}, size_t{160}, size_t{400}}) {
    const TranscriptionResult r3 = Full().TranscribePcm(x.data(), n, 16000);
    ExpectWellFormed(r3, n / 16.0);
    const TranscriptionResult r4 = Pipeline::Load(no_vad)->TranscribePcm(x.data(), n, 16000);
    EXPECT_TRUE(ValidUtf8(r4.text));
  }
  // No samples at all: an empty result.
  const TranscriptionResult r5 = Full().TranscribePcm(x.data(), 0, 16000);
  ExpectEmpty(r5);
  EXPECT_EQ(r5.duration_ms, 0);
  funasr_result* res = nullptr;
  ASSERT_EQ(funasr_transcribe_pcm_s16(CFull(), nullptr, nullptr, 0, 16000, nullptr, &res),
            FUNASR_OK)
      << funasr_last_error();
  EXPECT_STREQ(funasr_result_text(res), "");
  EXPECT_EQ(funasr_result_n_vad_segments(res), 0);
  funasr_result_free(res);
}

// A 3-hour file, generated on the fly as a sparse file: digital silence (the holes) with the
// reference utterance written at 22.5 minutes, 1 h 30 and 2 h 59 — 345 MB of 16-bit audio
// that take no disk space. The pipeline reads it block by block: memory stays bounded and
// the utterances are found at their true times (no 32-bit overflow of sample positions).
// FUNASR_LONG_TESTS=1 runs the full 3 hours; otherwise 40 minutes (about 20 s).
TEST(BadInputMatrix, ThreeHourFile) {
  const bool long_run = std::getenv("FUNASR_LONG_TESTS") != nullptr;
  const int64_t minutes = long_run ? 180 : (kSanitized ? 8 : 40);
  const int64_t total = minutes * 60 * 16000;
  const std::vector<int16_t> speech = ToInt16(Speech());
  const std::vector<int64_t> at_ms = {minutes * 60000 / 8, minutes * 60000 / 2,
                                     (minutes - 1) * 60000};
  const std::string path = TmpPath("long.wav");
  {
    const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
    ASSERT_GE(fd, 0);
    const std::string header = WavHeader16(16000, static_cast<uint32_t>(total * 2));
    ASSERT_EQ(::pwrite(fd, header.data(), header.size(), 0), 44);
    for (int64_t ms : at_ms) {
      const off_t off = 44 + static_cast<off_t>(ms) * 16 * 2;
      ASSERT_EQ(::pwrite(fd, speech.data(), speech.size() * 2, off),
                static_cast<ssize_t>(speech.size() * 2));
    }
    ASSERT_EQ(::ftruncate(fd, 44 + total * 2), 0);
    ::close(fd);
  }
  // The reference first (loads the models), then the run with its memory recorded.
  std::vector<int16_t> padded(16000 * 20, 0);
  padded.insert(padded.end(), speech.begin(), speech.end());
  padded.resize(padded.size() + 16000 * 20, 0);
  TranscriptionResult ref = Full().TranscribePcm16(padded.data(), padded.size(), 16000);
  for (TimeSpanMs& s : ref.vad_segments) s.start -= 20000, s.end -= 20000;
  ASSERT_FALSE(ref.vad_segments.empty());

  const int64_t rss_before = ResidentBytes();
  std::vector<int64_t> rss;  // after each progress report past the first tenth
  TranscribeOptions o;
  o.on_progress = [&](const PipelineProgress& p) {
    if (p.fraction > 0.1) rss.push_back(ResidentBytes());
    return true;
  };
  const auto t0 = std::chrono::steady_clock::now();
  const TranscriptionResult r = Full().TranscribeFile(path, o);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fs::remove(path);
  ASSERT_GE(rss.size(), 4u);
  const size_t half = rss.size() / 2;
  const int64_t first_peak = *std::max_element(rss.begin(), rss.begin() + half);
  const int64_t second_peak = *std::max_element(rss.begin() + half, rss.end());
  std::printf("  %lld min of audio in %.1f s (RTF %.5f); RSS before %.1f MB, peak in the first "
              "half %.1f MB, in the second half %.1f MB\n",
              static_cast<long long>(minutes), secs, secs / (minutes * 60.0), Mb(rss_before),
              Mb(first_peak), Mb(second_peak));
  ExpectWellFormed(r, static_cast<double>(total / 16));
  // The three utterances and nothing else, each where it was written (segmented as the same
  // utterance between 20 s of digital silence, shifted to its position).
  ASSERT_EQ(r.vad_segments.size(), at_ms.size() * ref.vad_segments.size()) << ToAutoModelJson(r);
  for (size_t k = 0; k < at_ms.size(); ++k) {
    for (size_t i = 0; i < ref.vad_segments.size(); ++i) {
      const TimeSpanMs& got = r.vad_segments[k * ref.vad_segments.size() + i];
      EXPECT_NEAR(got.start, at_ms[k] + ref.vad_segments[i].start, 50);
      EXPECT_NEAR(got.end, at_ms[k] + ref.vad_segments[i].end, 50);
    }
  }
  // Decoded audio is never held whole (it would be 64 KB per second: 150 MB for 40 minutes,
  // 690 MB for 3 hours; the working set of one 60 s VAD block with its features and the
  // decoding is ~80 MB), and memory does not grow along the file.
  if (!kSanitized) {
    EXPECT_LT(second_peak - rss_before, 128ll << 20);
    EXPECT_LT(second_peak - first_peak, 2ll << 20);
  }
}

// ---- models ------------------------------------------------------------------------------

// A copy of a model directory in the temp dir (to damage it).
std::string CopyModel(const std::string& name, const std::string& as) {
  const std::string dst = TmpPath(as);
  fs::remove_all(dst);
  fs::copy(name == "fsmn-vad" ? VadDir() : ModelDir(name), dst, fs::copy_options::recursive);
  return dst;
}

TEST(BadInputMatrix, MissingModelFile) {
  struct Case {
    const char* model;
    const char* file;
    const char* role;  // which PipelineConfig slot
  };
  const Case cases[] = {
      {"fsmn-vad", "model.pt", "vad"},         {"fsmn-vad", "am.mvn", "vad"},
      {"fsmn-vad", "config.yaml", "vad"},      {"bicif-paraformer-tiny", "model.pt", "asr"},
      {"bicif-paraformer-tiny", "am.mvn", "asr"}, {"bicif-paraformer-tiny", "tokens.json", "asr"},
      {"bicif-paraformer-tiny", "config.yaml", "asr"}, {"ct-punc-tiny", "model.pt", "punc"},
      {"ct-punc-tiny", "tokens.json", "punc"},  {"ct-punc-tiny", "config.yaml", "punc"},
  };
  for (const Case& c : cases) {
    const std::string dir = CopyModel(c.model, std::string("missing_") + c.role);
    fs::remove(dir + "/" + c.file);
    PipelineConfig config;
    (c.role == std::string("vad") ? config.vad_model
     : c.role == std::string("asr") ? config.asr_model
                                     : config.punc_model) = dir;
    std::string msg;
    const ErrorCode code = CodeOf([&] { Pipeline::Load(config); }, &msg);
    EXPECT_TRUE(code == ErrorCode::kIoError || code == ErrorCode::kFormatError)
        << c.model << " without " << c.file << ": " << msg;
    EXPECT_TRUE(Contains(msg, dir)) << msg;
    // config.yaml missing: the directory is not a model at all; otherwise the file is named.
    if (std::string(c.file) != "config.yaml") {
      EXPECT_TRUE(Contains(msg, c.file)) << msg;
    }
    std::printf("  %-22s - %-11s -> %s\n", c.model, c.file, msg.c_str());

    funasr_context_params cp = funasr_context_default_params();
    (c.role == std::string("vad") ? cp.vad_model
     : c.role == std::string("asr") ? cp.asr_model
                                     : cp.punc_model) = dir.c_str();
    funasr_context* ctx = reinterpret_cast<funasr_context*>(1);
    const int st = funasr_context_create(&cp, &ctx);
    EXPECT_TRUE(st == FUNASR_ERR_IO || st == FUNASR_ERR_FORMAT) << st;
    EXPECT_EQ(ctx, nullptr);
    EXPECT_EQ(std::string(funasr_last_error()), msg);
  }
  // A path that does not exist at all.
  std::string msg;
  PipelineConfig config;
  config.asr_model = TmpPath("no_such_model");
  EXPECT_EQ(CodeOf([&] { Pipeline::Load(config); }, &msg), ErrorCode::kIoError);
  EXPECT_TRUE(Contains(msg, "no_such_model")) << msg;
}

TEST(BadInputMatrix, ModelDirectoryOfTheWrongKind) {
  struct Case {
    const char* model;
    const char* role;
  };
  const Case cases[] = {{"ct-punc-tiny", "asr"}, {"fsmn-vad", "asr"},
                        {"bicif-paraformer-tiny", "punc"}, {"bicif-paraformer-tiny", "vad"},
                        {"ct-punc-tiny", "vad"}, {"fsmn-vad", "punc"}};
  for (const Case& c : cases) {
    const std::string dir = std::string(c.model) == "fsmn-vad" ? VadDir() : ModelDir(c.model);
    PipelineConfig config;
    (c.role == std::string("vad") ? config.vad_model
     : c.role == std::string("asr") ? config.asr_model
                                     : config.punc_model) = dir;
    std::string msg;
    EXPECT_EQ(CodeOf([&] { Pipeline::Load(config); }, &msg), ErrorCode::kUnsupported)
        << c.model << " as " << c.role << ": " << msg;
    EXPECT_TRUE(Contains(msg, dir)) << msg;
    std::printf("  %-22s as %-4s -> %s\n", c.model, c.role, msg.c_str());
  }
  // The model classes' own loaders say the same.
  EXPECT_EQ(CodeOf([&] { AsrModel::Load(ModelDir("ct-punc-tiny")); }), ErrorCode::kUnsupported);
  EXPECT_EQ(CodeOf([&] { PunctuationModel::Load(ModelDir("paraformer-tiny")); }),
            ErrorCode::kUnsupported);
  EXPECT_EQ(CodeOf([&] { VadModel::Load(ModelDir("paraformer-tiny")); }),
            ErrorCode::kUnsupported);
  // Through the C API.
  const std::string punc = ModelDir("ct-punc-tiny");
  funasr_context_params cp = funasr_context_default_params();
  cp.asr_model = punc.c_str();
  funasr_context* ctx = nullptr;
  EXPECT_EQ(funasr_context_create(&cp, &ctx), FUNASR_ERR_UNSUPPORTED);
  EXPECT_EQ(ctx, nullptr);
}

TEST(BadInputMatrix, MismatchedCmvnDimension) {
  // The VAD's am.mvn (400 = 80 mels x LFR 5) in an ASR directory (560 = 80 x 7), and back.
  const std::string asr = CopyModel("bicif-paraformer-tiny", "asr_with_vad_cmvn");
  fs::copy_file(VadDir() + "/am.mvn", asr + "/am.mvn", fs::copy_options::overwrite_existing);
  const std::string vad = CopyModel("fsmn-vad", "vad_with_asr_cmvn");
  fs::copy_file(ModelDir("bicif-paraformer-tiny") + "/am.mvn", vad + "/am.mvn",
                fs::copy_options::overwrite_existing);
  for (const auto& [dir, is_vad] : {std::pair{asr, false}, std::pair{vad, true}}) {
    PipelineConfig config;
    (is_vad ? config.vad_model : config.asr_model) = dir;
    std::string msg;
    EXPECT_EQ(CodeOf([&] { Pipeline::Load(config); }, &msg), ErrorCode::kFormatError) << msg;
    EXPECT_TRUE(Contains(msg, "am.mvn")) << msg;
    std::printf("  %s -> %s\n", fs::path(dir).filename().c_str(), msg.c_str());
  }
}

// ---- hotwords ----------------------------------------------------------------------------

TEST(BadInputMatrix, InvalidUtf8Hotwords) {
  // A model without hotword support ignores hotwords, whatever their bytes.
  {
    TranscribeOptions o;
    o.hotwords = {"\xff\xfe", "abc\xc3"};
    o.key = "asr_example_zh";
    EXPECT_EQ(ToAutoModelJson(Full().TranscribeFile(WavPath("asr_example_zh"), o)),
              ToAutoModelJson(Reference()));
  }
  REQUIRE_HOTWORD_PIPELINE();
  ASSERT_TRUE(hotword.asr_supports_hotwords());
  const std::string path = WavPath("asr_example_zh");
  for (const std::string& bad : {std::string("\xff\xfe"), std::string("abc\xc3"),
                                std::string("\xe4\xbd"), std::string("\xed\xa0\x80"),
                                std::string("ok \xc0\xaf")}) {
    TranscribeOptions o;
    o.hotwords = {"阿里巴巴", bad};
    std::string msg;
    EXPECT_EQ(CodeOf([&] { hotword.TranscribeFile(path, o); }, &msg),
              ErrorCode::kInvalidArgument);
    EXPECT_TRUE(Contains(msg, "UTF-8")) << msg;
  }
  // Through the C API (one whitespace-separated string).
  const std::string vad = VadDir(), seaco = ModelDir("seaco-paraformer-tiny");
  funasr_context* ctx = CContext(vad.c_str(), seaco.c_str(), nullptr);
  ASSERT_NE(ctx, nullptr);
  const CResult c = CFile(path, "阿里巴巴 \xff\xfe", ctx);
  EXPECT_EQ(c.status, FUNASR_ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(Contains(c.error, "UTF-8")) << c.error;
  funasr_context_free(ctx);
}

TEST(BadInputMatrix, TenThousandHotwords) {
  REQUIRE_HOTWORD_PIPELINE();
  // 10,000 distinct 2-4 character hotwords from the model's own vocabulary.
  const std::vector<std::string> chars = {"阿", "里", "巴", "达", "摩", "院", "语", "音",
                                          "识", "别", "模", "型", "北", "京", "上", "海",
                                          "天", "气", "很", "好", "我", "们", "去", "公"};
  std::mt19937 rng(10);
  std::vector<std::string> hotwords;
  std::set<std::string> seen;
  while (hotwords.size() < 10000) {
    std::string w;
    const int len = 2 + static_cast<int>(rng() % 3);
    for (int i = 0; i < len; ++i) w += chars[rng() % chars.size()];
    if (seen.insert(w).second) hotwords.push_back(w);
  }
  TranscribeOptions o;
  o.hotwords = hotwords;
  const auto t0 = std::chrono::steady_clock::now();
  const TranscriptionResult r = hotword.TranscribeFile(WavPath("asr_example_zh"), o);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("  10000 hotwords: %.2f s, text %s\n", secs, r.text.c_str());
  ExpectWellFormed(r, Reference().duration_ms);
  EXPECT_FALSE(r.text.empty());
  // The C API takes them as one string.
  std::string joined;
  for (const auto& w : hotwords) joined += w + " ";
  const std::string vad = VadDir(), seaco = ModelDir("seaco-paraformer-tiny"),
                    punc = ModelDir("ct-punc-tiny");
  funasr_context* ctx = CContext(vad.c_str(), seaco.c_str(), punc.c_str());
  ASSERT_NE(ctx, nullptr);
  const CResult c = CFile(WavPath("asr_example_zh"), joined.c_str(), ctx);
  EXPECT_EQ(c.status, FUNASR_OK) << c.error;
  EXPECT_EQ(c.json, ToAutoModelJson(r));
  funasr_context_free(ctx);
}

}  // namespace
}  // namespace funasr
