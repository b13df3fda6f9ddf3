// AudioFileReader, LoadAudio, ProbeAudio: libsndfile decoding -> PcmConverter
// (include/funasr/audio.h).
#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "audio/resampler.h"
#include "audio/wav_header.h"
#include "core/check.h"
#include "funasr/audio.h"

namespace funasr {

namespace {

namespace fs = std::filesystem;

// Frames decoded per libsndfile call: 64 KiB per channel of float.
constexpr sf_count_t kBlockFrames = 16384;

std::string FormatName(int format) {
  SF_FORMAT_INFO major{}, sub{};
  major.format = format & SF_FORMAT_TYPEMASK;
  sub.format = format & SF_FORMAT_SUBMASK;
  std::string name = sf_command(nullptr, SFC_GET_FORMAT_INFO, &major, sizeof major) == 0 && major.name
                         ? major.name
                         : "unknown container";
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &sub, sizeof sub) == 0 && sub.name)
    name += std::string(", ") + sub.name;
  return name;
}

// Checks that `path` names a readable, non-empty regular file before libsndfile sees it, so
// that the error says what is wrong instead of libsndfile's generic "format not recognised".
void CheckReadableFile(const std::string& path) {
  FUNASR_CHECK(!path.empty(), ErrorCode::kInvalidArgument, "audio file path is empty");
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  FUNASR_CHECK(!ec && fs::exists(st), ErrorCode::kIoError, "audio file not found: ", path);
  FUNASR_CHECK(!fs::is_directory(st), ErrorCode::kIoError, path, " is a directory, not an audio file");
  std::ifstream probe(path, std::ios::binary);
  FUNASR_CHECK(probe.good(), ErrorCode::kIoError, "cannot open audio file ", path, ": ",
               std::strerror(errno));
  const auto size = fs::file_size(path, ec);
  FUNASR_CHECK(ec || size > 0, ErrorCode::kIoError, "audio file ", path, " is empty (0 bytes)");
}

}  // namespace

struct AudioFileReader::Impl {
  std::string path;
  int target_rate = kModelSampleRate;
  AudioInfo info;
  SNDFILE* file = nullptr;
  std::optional<PcmConverter> converter;
  std::vector<float> block;     // one decoded block, interleaved
  std::vector<float> queue;     // converted samples not yet returned
  size_t queue_pos = 0;
  int64_t frames_decoded = 0;
  int64_t samples_read = 0;
  bool source_done = false;

  ~Impl() {
    if (file) sf_close(file);
  }

  void Open() {
    CheckReadableFile(path);
    SF_INFO sfinfo{};
    file = sf_open(path.c_str(), SFM_READ, &sfinfo);
    if (file == nullptr) {
      // The file exists and is readable (checked above); libsndfile's MPEG probe reports a
      // failed sniff as "File does not exist...", which would mislead.
      std::string why = sf_strerror(nullptr);
      if (why.find("does not exist") != std::string::npos) why = "format not recognised";
      Fail(ErrorCode::kFormatError, path, ": not an audio file libsndfile can decode (libsndfile: ",
           why, ")");
    }
    FUNASR_CHECK(sfinfo.samplerate > 0 && sfinfo.channels > 0, ErrorCode::kFormatError, path,
                 ": invalid header (", sfinfo.channels, " channels at ", sfinfo.samplerate, " Hz)");
    FUNASR_CHECK(sfinfo.samplerate >= kMinSampleRate && sfinfo.samplerate <= kMaxSampleRate,
                 ErrorCode::kFormatError, path, ": unsupported sample rate ", sfinfo.samplerate,
                 " Hz (supported: ", kMinSampleRate, "..", kMaxSampleRate, ")");
    info.sample_rate = sfinfo.samplerate;
    info.channels = sfinfo.channels;
    info.frames = sfinfo.frames >= 0 && sfinfo.frames != SF_COUNT_MAX ? sfinfo.frames : -1;
    info.format = FormatName(sfinfo.format);
    const int major = sfinfo.format & SF_FORMAT_TYPEMASK;
    if (major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX) {
      const audio::WavDataExtent extent = audio::ReadWavDataExtent(path);
      FUNASR_CHECK(!extent.truncated(), ErrorCode::kIoError, path,
                   ": truncated WAV file: the header declares ", extent.declared,
                   " data bytes but only ", extent.available, " are present");
    }
    FUNASR_CHECK(info.frames != 0, ErrorCode::kFormatError, path,
                 ": contains no audio samples (", info.format, ", header only)");
    // Integer PCM is normalised by libsndfile to value / 2^(bits-1) (int16 / 32768).
    sf_command(file, SFC_SET_NORM_FLOAT, nullptr, SF_TRUE);
    converter.emplace(info.sample_rate, info.channels, target_rate);
    block.resize(static_cast<size_t>(kBlockFrames) * info.channels);
  }

  // Decodes one more block into the queue (or finishes the stream).
  void Fill() {
    if (queue_pos > 0) {
      queue.erase(queue.begin(), queue.begin() + queue_pos);
      queue_pos = 0;
    }
    const sf_count_t got = sf_readf_float(file, block.data(), kBlockFrames);
    if (got > 0) {
      try {
        converter->Push(block.data(), static_cast<size_t>(got), &queue);
      } catch (const Error& e) {
        Fail(ErrorCode::kFormatError, path, ": ", e.what());
      }
      frames_decoded += got;
      return;
    }
    const int err = sf_error(file);
    FUNASR_CHECK(err == SF_ERR_NO_ERROR, ErrorCode::kFormatError, path, ": decoding failed after ",
                 frames_decoded, " frames: ", sf_error_number(err));
    FUNASR_CHECK(frames_decoded > 0, ErrorCode::kFormatError, path,
                 ": contains no audio samples (", info.format, ")");
    // FLAC declares its exact length in STREAMINFO; fewer decodable frames = cut-off file.
    // (WAV is checked at open; MP3/Ogg lengths are estimates, so they are not checked.)
    const bool exact_length_format = info.format.rfind("FLAC", 0) == 0;
    FUNASR_CHECK(!(exact_length_format && info.frames > 0 && frames_decoded < info.frames),
                 ErrorCode::kIoError, path, ": truncated file: the header declares ", info.frames,
                 " frames but only ", frames_decoded, " could be decoded");
    converter->Finish(&queue);
    source_done = true;
  }

  size_t Read(float* out, size_t max_samples) {
    while (queue.size() - queue_pos < max_samples && !source_done) Fill();
    const size_t n = std::min(max_samples, queue.size() - queue_pos);
    std::copy(queue.begin() + queue_pos, queue.begin() + queue_pos + n, out);
    queue_pos += n;
    samples_read += static_cast<int64_t>(n);
    return n;
  }
};

AudioFileReader::AudioFileReader(const std::string& path, int target_rate)
    : impl_(std::make_unique<Impl>()) {
  FUNASR_CHECK(target_rate >= kMinSampleRate && target_rate <= kMaxSampleRate,
               ErrorCode::kInvalidArgument, "unsupported target sample rate ", target_rate,
               " Hz (supported: ", kMinSampleRate, "..", kMaxSampleRate, ")");
  impl_->path = path;
  impl_->target_rate = target_rate;
  impl_->Open();
}

AudioFileReader::~AudioFileReader() = default;
AudioFileReader::AudioFileReader(AudioFileReader&&) noexcept = default;
AudioFileReader& AudioFileReader::operator=(AudioFileReader&&) noexcept = default;

const AudioInfo& AudioFileReader::info() const { return impl_->info; }
const std::string& AudioFileReader::path() const { return impl_->path; }
int AudioFileReader::target_rate() const { return impl_->target_rate; }
int64_t AudioFileReader::samples_read() const { return impl_->samples_read; }
bool AudioFileReader::at_end() const {
  return impl_->source_done && impl_->queue_pos == impl_->queue.size();
}

size_t AudioFileReader::Read(float* out, size_t max_samples) {
  FUNASR_CHECK(out != nullptr || max_samples == 0, ErrorCode::kInvalidArgument,
               "AudioFileReader::Read: null output buffer");
  return impl_->Read(out, max_samples);
}

size_t AudioFileReader::Read(std::vector<float>* out, size_t max_samples) {
  const size_t old = out->size();
  out->resize(old + max_samples);
  const size_t n = Read(out->data() + old, max_samples);
  out->resize(old + n);
  return n;
}

AudioInfo ProbeAudio(const std::string& path) {
  AudioFileReader reader(path);
  return reader.info();
}

std::vector<float> LoadAudio(const std::string& path, int target_rate) {
  AudioFileReader reader(path, target_rate);
  std::vector<float> out;
  const AudioInfo& info = reader.info();
  if (info.frames > 0)
    // The header's length is a claim, not a fact (only WAV data is checked against the file
    // size): reserve at most 64 MB up front and let the vector grow past that if it is true.
    out.reserve(static_cast<size_t>(std::min<int64_t>(
        audio::Resampler::OutputLength(info.frames, info.sample_rate, target_rate),
        int64_t{1} << 24)));
  while (reader.Read(&out, 1 << 16) > 0) {
  }
  return out;
}

}  // namespace funasr
