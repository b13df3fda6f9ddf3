// Sliding-window speech/silence smoother of FSMN-VAD (FunASR `WindowDetector`, spec §3.5.4):
// the last W frame decisions are summed; the state flips to speech when the sum reaches
// the sil→speech count and back to silence when it falls to the speech→sil count.
#pragma once

#include <vector>

namespace funasr::vad {

enum class AudioChange { kSpeech2Speech, kSpeech2Sil, kSil2Sil, kSil2Speech };

class WindowDetector {
 public:
  WindowDetector(int window_frames, int sil_to_speech_frames, int speech_to_sil_frames);

  // Pushes one frame decision and reports the transition it causes.
  AudioChange Push(bool is_speech);
  void Reset();

 private:
  std::vector<unsigned char> window_;
  int sum_ = 0;
  int pos_ = 0;
  bool in_speech_ = false;
  int sil_to_speech_;
  int speech_to_sil_;
};

}  // namespace funasr::vad
