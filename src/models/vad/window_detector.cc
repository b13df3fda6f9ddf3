#include "models/vad/window_detector.h"

#include <algorithm>

namespace funasr::vad {

WindowDetector::WindowDetector(int window_frames, int sil_to_speech_frames,
                               int speech_to_sil_frames)
    : window_(static_cast<size_t>(std::max(window_frames, 1)), 0),
      sil_to_speech_(sil_to_speech_frames),
      speech_to_sil_(speech_to_sil_frames) {}

AudioChange WindowDetector::Push(bool is_speech) {
  const int s = is_speech ? 1 : 0;
  sum_ += s - window_[pos_];
  window_[pos_] = static_cast<unsigned char>(s);
  pos_ = (pos_ + 1) % static_cast<int>(window_.size());
  // Both tests use >= / <= on the same sum, so with equal thresholds a frame right after a
  // sil→speech flip can flip straight back (FunASR behaviour, kept).
  if (!in_speech_ && sum_ >= sil_to_speech_) {
    in_speech_ = true;
    return AudioChange::kSil2Speech;
  }
  if (in_speech_ && sum_ <= speech_to_sil_) {
    in_speech_ = false;
    return AudioChange::kSpeech2Sil;
  }
  return in_speech_ ? AudioChange::kSpeech2Speech : AudioChange::kSil2Sil;
}

void WindowDetector::Reset() {
  std::fill(window_.begin(), window_.end(), 0);
  sum_ = 0;
  pos_ = 0;
  in_speech_ = false;
}

}  // namespace funasr::vad
