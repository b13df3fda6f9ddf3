// The FSMN-VAD post-processing of one stream (FunASR FsmnVADStreaming's `Stats` +
// `WindowDetector` + DetectOneFrame and its callbacks, spec §3.5-§3.6, HEAD semantics):
// per-frame silence posteriors and energies in, speech segments out.
//
// FunASR keeps the scores, decibels and samples of a stream in growing buffers; only frame
// counters ever influence its output, so this class keeps counters and the current frame's
// values only, and drops segments once reported: memory stays constant however long the
// stream runs.
#pragma once

#include <cstdint>
#include <vector>

#include "funasr/vad.h"
#include "models/vad/vad_config.h"
#include "models/vad/window_detector.h"

namespace funasr::vad {

enum class VadState { kStartNotDetected = 1, kInSpeech = 2, kEndDetected = 3 };

class VadStateMachine {
 public:
  explicit VadStateMachine(const VadConfig& config);

  // The two thresholds FunASR keeps per stream (Stats.max_end_sil_frame_cnt_thresh, in ms
  // despite its name, and Stats.speech_noise_thres); the dynamic schedule rewrites them
  // between chunks. Initially max_end_silence_time - speech_to_sil_time_thres and
  // speech_noise_thres of the config.
  void set_end_silence_ms(double ms) { end_silence_ms_ = ms; }
  void set_speech_noise_thres(double thres) { speech_noise_thres_ = thres; }
  double end_silence_ms() const { return end_silence_ms_; }
  double speech_noise_thres() const { return speech_noise_thres_; }

  // One FunASR forward() worth of frames, in order: `scores` [n, score_dim] are the network's
  // softmax rows (only the sil_pdf_ids columns are read), `decibels` [n] the frame energies
  // (§3.5.3). The last frame of an is_final chunk closes any open segment.
  void AcceptFrames(const float* scores, int64_t n, int64_t score_dim, const float* decibels,
                    bool is_final);

  // Appends the segments FunASR's forward() returns after that chunk: streaming format
  // ({start,-1} / {-1,end} / {start,end}) or offline format (closed segments; at is_final
  // also a segment the input ended in).
  void CollectSegments(bool streaming_format, bool is_final, std::vector<VadSegment>* out);

  VadState state() const { return state_; }
  // Frames processed so far (absolute frame index of the next frame).
  int64_t frame_count() const { return frame_count_; }
  // Segments held (reported ones are dropped; bounded by the few still open).
  size_t buffered_segments() const { return segments_.size(); }

  // Test hook: when set, holds the FrameState of every frame by absolute index (1 speech,
  // 0 silence, -1 never evaluated).
  void set_frame_state_trace(std::vector<int>* trace) { trace_ = trace; }

 private:
  struct Segment {
    int64_t start_ms = 0;
    int64_t end_ms = 0;
    bool has_start = false;
    bool has_end = false;
  };

  bool FrameIsSpeech(const float* score_row, float decibel);
  void DetectOneFrame(bool is_speech, int64_t t, bool is_final_frame);
  void ContinueSpeech(int64_t t, bool is_final_frame);
  bool SegmentTooLong(int64_t t) const;
  void ResetDetection();

  void PopTill(int64_t frame);
  void PopToOutput(int64_t start_frame, int64_t count, bool is_start, bool is_end);
  void OnSilenceDetected(int64_t frame);
  void OnVoiceDetected(int64_t frame);
  void OnVoiceStart(int64_t frame, bool fake);
  void OnVoiceEnd(int64_t frame, bool fake);
  void MaybeEndIfLast(bool is_final_frame, int64_t t);
  int64_t FrameToMs(int64_t frame) const;

  VadConfig config_;
  int start_latency_frames_;
  int lookahead_frames_;
  WindowDetector window_;

  double end_silence_ms_;
  double speech_noise_thres_;

  VadState state_ = VadState::kStartNotDetected;
  int64_t frame_count_ = 0;
  int64_t data_buf_start_frame_ = 0;
  int64_t latest_confirmed_speech_frame_ = 0;
  int64_t latest_confirmed_silence_frame_ = -1;
  int64_t continuous_silence_frames_ = 0;
  int64_t confirmed_start_frame_ = -1;
  int64_t confirmed_end_frame_ = -1;
  int64_t number_end_time_detected_ = 0;
  double noise_average_decibel_ = -100.0;

  // FunASR's output_data_buf from output_data_buf_offset on, plus the last reported segment
  // (FunASR only ever appends to the last one, so older ones can go).
  std::vector<Segment> segments_;
  size_t output_offset_ = 0;
  bool next_seg_ = true;

  std::vector<int>* trace_ = nullptr;
};

// FunASR's DEFAULT_SILENCE_SCHEDULE (spec §3.8, on by default since v1.3.9): before each
// chunk, if the stream is (or has been, since the last chunk that produced output) in
// speech, the chunk's length is added to a speech clock; the end silence is then the first
// step whose limit the clock does not exceed, and the speech threshold becomes 0.5.
class DynamicSilenceSchedule {
 public:
  explicit DynamicSilenceSchedule(double speech_to_sil_ms) : speech_to_sil_ms_(speech_to_sil_ms) {}

  void BeforeChunk(VadStateMachine* machine, double chunk_ms);
  // A chunk whose forward() returned segments restarts the clock.
  void AfterChunk(bool produced_segments);
  void Reset();
  double accumulated_ms() const { return accumulated_ms_; }

 private:
  double speech_to_sil_ms_;
  double accumulated_ms_ = 0;
  bool in_speech_ = false;
};

}  // namespace funasr::vad
