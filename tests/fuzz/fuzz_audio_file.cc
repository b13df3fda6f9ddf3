// libFuzzer target: audio decoding through the public API. The bytes become a file (an
// in-memory memfd, opened by its /proc path as any file would be) read by funasr::ProbeAudio,
// funasr::LoadAudio and funasr::AudioFileReader in blocks of odd sizes: whatever the bytes,
// the result is samples or a funasr::Error, never a crash, a hang or unbounded memory.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "funasr/audio.h"
#include "funasr/error.h"

namespace {

// A file holding the input: a memfd when available (no disk traffic), else a temp file.
class InputFile {
 public:
  InputFile(const uint8_t* data, size_t size) {
    fd_ = ::memfd_create("fuzz_audio", 0);
    if (fd_ >= 0) {
      path_ = "/proc/self/fd/" + std::to_string(fd_);
    } else {
      char tmpl[] = "/tmp/fuzz_audio_XXXXXX";
      fd_ = ::mkstemp(tmpl);
      path_ = tmpl;
      unlink_ = true;
    }
    for (size_t done = 0; done < size;) {
      const ssize_t w = ::write(fd_, data + done, size - done);
      if (w <= 0) break;
      done += static_cast<size_t>(w);
    }
  }
  ~InputFile() {
    ::close(fd_);
    if (unlink_) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
  bool unlink_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  InputFile file(data, size);
  try {
    const funasr::AudioInfo info = funasr::ProbeAudio(file.path());
    (void)info.duration_seconds();
  } catch (const funasr::Error&) {
  }
  try {
    const std::vector<float> samples = funasr::LoadAudio(file.path());
    volatile float sink = 0;
    for (float v : samples) sink = sink + v;  // every sample is readable
  } catch (const funasr::Error&) {
  }
  // Block-wise reading at another target rate, with block sizes that are not aligned to
  // anything the decoder does.
  try {
    funasr::AudioFileReader reader(file.path(), 8000);
    std::vector<float> block(777);
    size_t total = 0, step = 1;
    for (size_t n; (n = reader.Read(block.data(), step)) > 0; step = step * 3 % 701 + 1)
      total += n;
    if (!reader.at_end() || static_cast<int64_t>(total) != reader.samples_read()) __builtin_trap();
  } catch (const funasr::Error&) {
  }
  return 0;
}
