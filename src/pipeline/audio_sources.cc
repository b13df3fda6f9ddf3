// 16 kHz mono audio sources for the pipeline, over funasr/audio.h: files decoded block by
// block (AudioFileReader), standard input spooled to a temporary file first (libsndfile
// needs to seek in most formats), and caller-owned PCM converted block by block.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/check.h"
#include "funasr/audio.h"
#include "pipeline/pipeline_impl.h"

namespace funasr::pipeline {
namespace {

class FileSource final : public AudioSource {
 public:
  explicit FileSource(const std::string& path) : reader_(path, kSampleRate) {
    const AudioInfo& info = reader_.info();
    if (info.frames >= 0 && info.sample_rate > 0) {
      // ceil(frames * 16000 / rate): the length the resampler produces.
      total_ = (info.frames * kSampleRate + info.sample_rate - 1) / info.sample_rate;
    }
  }
  size_t Read(float* out, size_t max) override { return reader_.Read(out, max); }
  int64_t total_samples() const override { return total_; }

 private:
  AudioFileReader reader_;
  int64_t total_ = -1;
};

// Standard input copied to an unlinked temporary file, then read like a file.
class StdinSource final : public AudioSource {
 public:
  StdinSource() {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/funasr-stdin-XXXXXX";
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    FUNASR_CHECK(fd >= 0, ErrorCode::kIoError, "standard input: cannot create a temporary file in ",
                 tmpl.substr(0, tmpl.find_last_of('/')));
    path_ = name.data();
    std::vector<char> buf(1 << 16);
    size_t total = 0;
    for (;;) {
      const size_t n = std::fread(buf.data(), 1, buf.size(), stdin);
      if (n == 0) break;
      total += n;
      for (size_t done = 0; done < n;) {
        const ssize_t w = ::write(fd, buf.data() + done, n - done);
        if (w <= 0) {
          ::close(fd);
          ::unlink(path_.c_str());
          Fail(ErrorCode::kIoError, "standard input: cannot write the temporary file ", path_);
        }
        done += static_cast<size_t>(w);
      }
    }
    ::close(fd);
    if (total == 0) {
      ::unlink(path_.c_str());
      Fail(ErrorCode::kIoError, "standard input: no data");
    }
    try {
      file_ = std::make_unique<FileSource>(path_);
    } catch (...) {
      ::unlink(path_.c_str());
      throw;
    }
    ::unlink(path_.c_str());  // the open reader keeps the data until it is closed
  }
  size_t Read(float* out, size_t max) override { return file_->Read(out, max); }
  int64_t total_samples() const override { return file_->total_samples(); }

 private:
  std::string path_;
  std::unique_ptr<FileSource> file_;
};

template <typename T>
float ToFloat(T x);
template <>
float ToFloat<float>(float x) { return x; }
template <>
float ToFloat<int16_t>(int16_t x) { return static_cast<float>(x) / 32768.0f;  }  // torchaudio

// Caller-owned 16 kHz PCM, read in place (float) or converted per block (int16).
template <typename T>
class PcmView final : public AudioSource {
 public:
  PcmView(const T* samples, size_t n) : samples_(samples), n_(n) {}
  size_t Read(float* out, size_t max) override {
    const size_t k = std::min(max, n_ - pos_);
    for (size_t i = 0; i < k; ++i) {
      out[i] = ToFloat<T>(samples_[pos_ + i]);
      FUNASR_CHECK(std::isfinite(out[i]), ErrorCode::kInvalidArgument, "PCM sample ", pos_ + i,
                   " is not a finite number");
    }
    pos_ += k;
    return k;
  }
  int64_t total_samples() const override { return static_cast<int64_t>(n_); }

 private:
  const T* samples_;
  size_t n_;
  size_t pos_ = 0;
};

// Caller-owned PCM at another rate, resampled block by block (PcmConverter), so the
// converted audio is never held whole.
template <typename T>
class ResampledPcm final : public AudioSource {
 public:
  ResampledPcm(const T* samples, size_t n, int rate)
      : samples_(samples), n_(n), converter_(rate, 1, kSampleRate),
        total_((static_cast<int64_t>(n) * kSampleRate + rate - 1) / rate),
        in_block_(std::max<size_t>(1, static_cast<size_t>(rate))) {}

  size_t Read(float* out, size_t max) override {
    while (buffered_.size() - pos_ < max && !finished_) {
      if (pos_ > 0) {
        buffered_.erase(buffered_.begin(), buffered_.begin() + static_cast<ptrdiff_t>(pos_));
        pos_ = 0;
      }
      if (in_pos_ < n_) {
        const size_t k = std::min(in_block_, n_ - in_pos_);
        converter_.Push(samples_ + in_pos_, k, &buffered_);
        in_pos_ += k;
      } else {
        converter_.Finish(&buffered_);
        finished_ = true;
      }
    }
    const size_t k = std::min(max, buffered_.size() - pos_);
    std::copy_n(buffered_.begin() + static_cast<ptrdiff_t>(pos_), k, out);
    pos_ += k;
    return k;
  }
  int64_t total_samples() const override { return total_; }

 private:
  const T* samples_;
  size_t n_;
  PcmConverter converter_;
  int64_t total_;
  size_t in_block_;   // one second of input per conversion step
  size_t in_pos_ = 0;
  bool finished_ = false;
  std::vector<float> buffered_;
  size_t pos_ = 0;
};

void CheckRate(int sample_rate) {
  FUNASR_CHECK(sample_rate > 0 && sample_rate <= 768000, ErrorCode::kInvalidArgument,
               "PCM sample rate must be in (0, 768000] Hz, got ", sample_rate);
}

template <typename T>
std::unique_ptr<AudioSource> MakePcmSource(const T* samples, size_t n, int sample_rate) {
  CheckRate(sample_rate);
  if (sample_rate == kSampleRate || n == 0) return std::make_unique<PcmView<T>>(samples, n);
  return std::make_unique<ResampledPcm<T>>(samples, n, sample_rate);
}

}  // namespace

std::unique_ptr<AudioSource> OpenAudioFile(const std::string& path) {
  if (path == "-") return std::make_unique<StdinSource>();
  return std::make_unique<FileSource>(path);
}

std::unique_ptr<AudioSource> PcmSource(const float* samples, size_t n, int sample_rate) {
  return MakePcmSource(samples, n, sample_rate);
}

std::unique_ptr<AudioSource> Pcm16Source(const int16_t* samples, size_t n, int sample_rate) {
  return MakePcmSource(samples, n, sample_rate);
}

}  // namespace funasr::pipeline
