// Post-processing parameters of FunASR's FsmnVADStreaming (`VADXOptions`, the `model_conf`
// section of config.yaml; `vad_post_conf` in the legacy vad.yaml), spec §3.1 / §3.4.
#pragma once

#include <string>
#include <vector>

#include "funasr/vad.h"

namespace funasr::io {
class ConfigReader;
}

namespace funasr::vad {

// Field names and defaults are FunASR's. Times are milliseconds; kept as double because
// FunASR does its frame arithmetic on Python numbers (int() truncation, float division).
struct VadConfig {
  int sample_rate = 16000;
  int detect_mode = 1;  // 0 single utterance, 1 multiple utterances
  double max_end_silence_time = 800;
  double max_start_silence_time = 3000;
  double window_size_ms = 200;
  double sil_to_speech_time_thres = 150;
  double speech_to_sil_time_thres = 150;
  double speech_2_noise_ratio = 1.0;
  bool do_extend = true;
  double lookback_time_start_point = 200;
  double lookahead_time_end_point = 100;
  double max_single_segment_time = 60000;
  double snr_thres = -100.0;
  int noise_frame_num_used_for_snr = 100;
  double decibel_thres = -100.0;
  double speech_noise_thres = 0.6;
  std::vector<int> sil_pdf_ids = {0};
  double frame_in_ms = 10;
  double frame_length_ms = 25;
  // Parsed for validation only; FunASR's code never lets them change a result (§3.1):
  // snr_mode, do_start/end_point_detection, fe_prior_thres, speech_noise_thresh_low/high,
  // output_frame_probs.

  // Reads `section` (model_conf / vad_post_conf); absent keys keep FunASR's defaults.
  // Throws FormatError naming the key for wrong types or impossible values.
  static VadConfig FromConfig(const io::ConfigReader& section);

  // The config with the per-call overrides of `options` applied. Throws InvalidArgument for
  // out-of-range values.
  VadConfig WithOverrides(const VadOptions& options) const;

  // Checks the invariants the state machine relies on; `where` names the source.
  void Validate(const std::string& where) const;

  // Derived frame counts (spec §3.4).
  int WindowFrames() const { return static_cast<int>(window_size_ms / frame_in_ms); }
  int SilToSpeechFrames() const { return static_cast<int>(sil_to_speech_time_thres / frame_in_ms); }
  int SpeechToSilFrames() const { return static_cast<int>(speech_to_sil_time_thres / frame_in_ms); }
  // Frames between a start trigger and the reported start (LatencyFrmNumAtStartPoint).
  int StartLatencyFrames() const {
    return WindowFrames() +
           (do_extend ? static_cast<int>(lookback_time_start_point / frame_in_ms) : 0);
  }
  int LookaheadFrames() const { return static_cast<int>(lookahead_time_end_point / frame_in_ms); }
  int FrameShiftSamples() const { return static_cast<int>(frame_in_ms * sample_rate / 1000); }
  int FrameLengthSamples() const {
    return static_cast<int>(frame_length_ms * sample_rate / 1000);
  }
};

}  // namespace funasr::vad
