#include "models/vad/vad_state_machine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/check.h"

namespace funasr::vad {

VadStateMachine::VadStateMachine(const VadConfig& config)
    : config_(config),
      start_latency_frames_(config.StartLatencyFrames()),
      lookahead_frames_(config.LookaheadFrames()),
      window_(config.WindowFrames(), config.SilToSpeechFrames(), config.SpeechToSilFrames()),
      end_silence_ms_(config.max_end_silence_time - config.speech_to_sil_time_thres),
      speech_noise_thres_(config.speech_noise_thres) {}

int64_t VadStateMachine::FrameToMs(int64_t frame) const {
  return static_cast<int64_t>(std::llround(static_cast<double>(frame) * config_.frame_in_ms));
}

// GetFrameState (§3.5.2), in double like FunASR's Python floats. ln(0) is -inf here where
// Python would raise; the comparison then says silence.
bool VadStateMachine::FrameIsSpeech(const float* row, float decibel_f) {
  const double decibel = decibel_f;
  if (decibel < config_.decibel_thres) return false;
  const double snr = decibel - noise_average_decibel_;
  double sil = 0.0;
  for (int id : config_.sil_pdf_ids) sil += static_cast<double>(row[id]);
  const double noise_prob = std::log(sil) * config_.speech_2_noise_ratio;
  const double speech_prob = std::log(1.0 - sil);
  if (std::exp(speech_prob) >= std::exp(noise_prob) + speech_noise_thres_)
    return snr >= config_.snr_thres && decibel >= config_.decibel_thres;
  // Silence frames feed the running noise level used by the SNR test.
  const int n = config_.noise_frame_num_used_for_snr;
  if (noise_average_decibel_ < -99.9)
    noise_average_decibel_ = decibel;
  else
    noise_average_decibel_ = (decibel + noise_average_decibel_ * (n - 1)) / n;
  return false;
}

void VadStateMachine::AcceptFrames(const float* scores, int64_t n, int64_t score_dim,
                                   const float* decibels, bool is_final) {
  FUNASR_CHECK(n >= 0 && (n == 0 || (scores && decibels)), ErrorCode::kInvalidArgument,
               "VadStateMachine: bad frame block");
  for (int id : config_.sil_pdf_ids)
    FUNASR_CHECK(id < score_dim, ErrorCode::kInvalidArgument, "VAD sil_pdf_ids entry ", id,
                 " is outside the network's ", score_dim, " output classes");
  const int64_t first = frame_count_;
  frame_count_ += n;
  // FunASR skips a whole chunk that starts after the end was detected (single-utterance
  // mode only; multiple mode resets right after an end).
  if (trace_) trace_->resize(static_cast<size_t>(frame_count_), -1);
  if (state_ == VadState::kEndDetected) return;
  for (int64_t i = 0; i < n; ++i) {
    const bool speech = FrameIsSpeech(scores + i * score_dim, decibels[i]);
    if (trace_) (*trace_)[static_cast<size_t>(first + i)] = speech ? 1 : 0;
    DetectOneFrame(speech, first + i, is_final && i == n - 1);
  }
}

bool VadStateMachine::SegmentTooLong(int64_t t) const {
  return static_cast<double>(t - confirmed_start_frame_ + 1) >
         config_.max_single_segment_time / config_.frame_in_ms;
}

// The three in-speech transitions share this tail: force a split at the maximum segment
// length, else extend the segment, else (last frame of the input) close it.
void VadStateMachine::ContinueSpeech(int64_t t, bool is_final_frame) {
  if (SegmentTooLong(t)) {
    OnVoiceEnd(t, false);
    state_ = VadState::kEndDetected;
  } else if (!is_final_frame) {
    OnVoiceDetected(t);
  } else {
    MaybeEndIfLast(is_final_frame, t);
  }
}

void VadStateMachine::DetectOneFrame(bool is_speech, int64_t t, bool is_final_frame) {
  switch (window_.Push(is_speech)) {
    case AudioChange::kSil2Speech:
      continuous_silence_frames_ = 0;
      if (state_ == VadState::kStartNotDetected) {
        const int64_t start = std::max(data_buf_start_frame_, t - start_latency_frames_);
        OnVoiceStart(start, false);
        state_ = VadState::kInSpeech;
        for (int64_t f = start + 1; f <= t; ++f) OnVoiceDetected(f);
      } else if (state_ == VadState::kInSpeech) {
        for (int64_t f = latest_confirmed_speech_frame_ + 1; f < t; ++f) OnVoiceDetected(f);
        ContinueSpeech(t, is_final_frame);
      }
      break;
    case AudioChange::kSpeech2Sil:
    case AudioChange::kSpeech2Speech:
      continuous_silence_frames_ = 0;
      if (state_ == VadState::kInSpeech) ContinueSpeech(t, is_final_frame);
      break;
    case AudioChange::kSil2Sil:
      ++continuous_silence_frames_;
      if (state_ == VadState::kStartNotDetected) {
        const bool start_timeout =
            config_.detect_mode == 0 &&
            static_cast<double>(continuous_silence_frames_) * config_.frame_in_ms >
                config_.max_start_silence_time;
        if (start_timeout || (is_final_frame && number_end_time_detected_ == 0)) {
          // No speech: a zero-length "fake" segment that is never reported.
          for (int64_t f = latest_confirmed_silence_frame_ + 1; f < t; ++f) OnSilenceDetected(f);
          OnVoiceStart(0, true);
          OnVoiceEnd(0, true);
          state_ = VadState::kEndDetected;
        } else if (t >= start_latency_frames_) {
          OnSilenceDetected(t - start_latency_frames_);
        }
      } else if (state_ == VadState::kInSpeech) {
        if (static_cast<double>(continuous_silence_frames_) * config_.frame_in_ms >=
            end_silence_ms_) {
          // The end is placed lookahead+1 frames after the speech→silence flip (§3.6.3).
          int64_t lookback = static_cast<int64_t>(end_silence_ms_ / config_.frame_in_ms);
          if (config_.do_extend) lookback = std::max<int64_t>(0, lookback - lookahead_frames_ - 1);
          OnVoiceEnd(t - lookback, false);
          state_ = VadState::kEndDetected;
        } else if (SegmentTooLong(t)) {
          OnVoiceEnd(t, false);
          state_ = VadState::kEndDetected;
        } else if (config_.do_extend && !is_final_frame) {
          if (continuous_silence_frames_ <= lookahead_frames_) OnVoiceDetected(t);
        } else {
          MaybeEndIfLast(is_final_frame, t);
        }
      }
      break;
  }
  if (state_ == VadState::kEndDetected && config_.detect_mode == 1) ResetDetection();
}

void VadStateMachine::ResetDetection() {
  continuous_silence_frames_ = 0;
  latest_confirmed_speech_frame_ = 0;
  latest_confirmed_silence_frame_ = -1;
  confirmed_start_frame_ = -1;
  confirmed_end_frame_ = -1;
  state_ = VadState::kStartNotDetected;
  window_.Reset();
}

// FunASR's sample buffer reduced to its frame counter (§3.6.2): only the counter reaches
// the output.
void VadStateMachine::PopTill(int64_t frame) {
  data_buf_start_frame_ = std::max(data_buf_start_frame_, frame);
}

void VadStateMachine::PopToOutput(int64_t start_frame, int64_t count, bool is_start,
                                  bool is_end) {
  PopTill(start_frame);
  if (segments_.empty() || is_start) {
    Segment s;
    s.start_ms = FrameToMs(start_frame);
    s.end_ms = s.start_ms;
    segments_.push_back(s);
  }
  Segment& seg = segments_.back();
  data_buf_start_frame_ += count;
  seg.end_ms = FrameToMs(start_frame + count);
  if (is_start) seg.has_start = true;
  if (is_end) seg.has_end = true;
}

void VadStateMachine::OnSilenceDetected(int64_t frame) {
  latest_confirmed_silence_frame_ = frame;
  if (state_ == VadState::kStartNotDetected) PopTill(frame);
}

void VadStateMachine::OnVoiceDetected(int64_t frame) {
  latest_confirmed_speech_frame_ = frame;
  PopToOutput(frame, 1, false, false);
}

void VadStateMachine::OnVoiceStart(int64_t frame, bool fake) {
  // FunASR only warns when a start arrives before the previous one was reset.
  if (confirmed_start_frame_ == -1) confirmed_start_frame_ = frame;
  if (!fake && state_ == VadState::kStartNotDetected)
    PopToOutput(confirmed_start_frame_, 1, true, false);
}

void VadStateMachine::OnVoiceEnd(int64_t frame, bool fake) {
  for (int64_t f = latest_confirmed_speech_frame_ + 1; f < frame; ++f) OnVoiceDetected(f);
  if (confirmed_end_frame_ == -1) confirmed_end_frame_ = frame;
  if (!fake) PopToOutput(confirmed_end_frame_, 1, false, true);
  ++number_end_time_detected_;
}

void VadStateMachine::MaybeEndIfLast(bool is_final_frame, int64_t t) {
  if (!is_final_frame) return;
  OnVoiceEnd(t, false);
  state_ = VadState::kEndDetected;
}

void VadStateMachine::CollectSegments(bool streaming_format, bool is_final,
                                      std::vector<VadSegment>* out) {
  // FunASR's loop advances the offset once per reported (closed) segment; only the last
  // segment can be open, so the offset always points at the first unreported one.
  const size_t size = segments_.size();
  for (size_t i = output_offset_; i < size; ++i) {
    const Segment& seg = segments_[i];
    if (streaming_format) {
      if (!seg.has_start) continue;
      if (!next_seg_ && !seg.has_end) continue;
      VadSegment e;
      e.start_ms = next_seg_ ? seg.start_ms : -1;
      if (seg.has_end) {
        e.end_ms = seg.end_ms;
        next_seg_ = true;
        ++output_offset_;
      } else {
        e.end_ms = -1;
        next_seg_ = false;
      }
      out->push_back(e);
    } else {
      if (!is_final && (!seg.has_start || !seg.has_end)) continue;
      out->push_back(VadSegment{seg.start_ms, seg.end_ms});
      ++output_offset_;
    }
  }
  // Reported segments are never touched again except the last one (PopToOutput appends
  // to it when no new segment starts), so keep that one and drop the rest.
  if (!segments_.empty()) {
    const size_t drop = std::min(output_offset_, segments_.size() - 1);
    if (drop > 0) {
      segments_.erase(segments_.begin(), segments_.begin() + static_cast<ptrdiff_t>(drop));
      output_offset_ -= drop;
    }
  }
}

void DynamicSilenceSchedule::BeforeChunk(VadStateMachine* machine, double chunk_ms) {
  // (limit of accumulated speech ms, end silence ms), FunASR DEFAULT_SILENCE_SCHEDULE.
  static constexpr std::pair<double, double> kSchedule[] = {
      {10000, 2000}, {20000, 1000}, {30000, 800}, {40000, 600},
      {50000, 400},  {60000, 200},  {std::numeric_limits<double>::infinity(), 100}};
  if (machine->state() == VadState::kInSpeech || in_speech_) {
    accumulated_ms_ += chunk_ms;
    in_speech_ = true;
  }
  for (const auto& [limit_ms, silence_ms] : kSchedule) {
    if (accumulated_ms_ <= limit_ms) {
      machine->set_end_silence_ms(std::max(silence_ms - speech_to_sil_ms_, 0.0));
      machine->set_speech_noise_thres(0.5);
      break;
    }
  }
}

void DynamicSilenceSchedule::AfterChunk(bool produced_segments) {
  if (produced_segments) Reset();
}

void DynamicSilenceSchedule::Reset() {
  accumulated_ms_ = 0;
  in_speech_ = false;
}

}  // namespace funasr::vad
