// FsmnVadSession: one audio stream through an FsmnVadModel — FunASR's
// FsmnVADStreaming.inference driver with its `cache` (spec §3.7-§3.8): the input is cut
// into chunks of chunk_size_ms, each chunk goes through the streaming frontend
// (WavFrontendOnline), the FSMN with its memory cache and the state machine, and the
// dynamic end-silence schedule is stepped once per chunk.
//
// Memory is bounded: at most one chunk of pending samples, the frontend's splice buffers,
// the FSMN memory and the few open segments — nothing grows with the stream's length.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "frontend/online_frontend.h"
#include "funasr/vad.h"
#include "models/vad/fsmn_encoder.h"
#include "models/vad/fsmn_vad_model.h"
#include "models/vad/vad_state_machine.h"

namespace funasr::vad {

// Test/diagnostic record of everything a session computed, by absolute frame.
struct VadTrace {
  std::vector<float> sil_prob;   // softmax column sil_pdf_ids[0]
  std::vector<float> decibel;    // frame energy (§3.5.3)
  std::vector<int> frame_state;  // 1 speech, 0 silence, -1 not evaluated
  struct Forward {
    int64_t frames = 0;
    bool is_final = false;
    double end_silence_ms = 0;
    double speech_noise_thres = 0;
  };
  std::vector<Forward> forwards;  // one per FunASR forward() call with frames
  std::vector<float> full_scores;  // [frames, output_dim] when keep_full_scores
  bool keep_full_scores = false;
};

class FsmnVadSession {
 public:
  // `streaming_format`: report FunASR streaming events ({s,-1}/{-1,e}/{s,e}) instead of
  // closed segments (FunASR's is_streaming_input). Throws InvalidArgument for bad options.
  FsmnVadSession(std::shared_ptr<const FsmnVadModel> model, const VadOptions& options,
                 bool streaming_format);

  // Feeds samples; returns what FunASR's inference() returns for this call. After
  // is_final the session is reset.
  std::vector<VadSegment> Accept(const float* samples, size_t n, bool is_final);
  void Reset();

  int64_t received_samples() const { return received_samples_; }
  bool dynamic_silence() const { return dynamic_; }
  // Samples waiting for a whole chunk (< chunk size).
  size_t pending_samples() const { return pending_.size(); }
  // Floats held by scratch buffers that scale with the chunk (not the stream) length.
  size_t scratch_floats() const;
  size_t buffered_segments() const { return machine_->buffered_segments(); }

  void set_trace(VadTrace* trace);

 private:
  void ProcessChunk(const float* samples, size_t n, bool is_final, double chunk_ms,
                    std::vector<VadSegment>* out);

  std::shared_ptr<const FsmnVadModel> model_;
  VadConfig config_;
  bool streaming_format_;
  bool dynamic_;
  size_t chunk_samples_ = 0;  // 0: every call is one chunk
  double chunk_ms_ = 0;

  frontend::OnlineWavFrontend frontend_;
  FsmnCache encoder_cache_;
  std::optional<VadStateMachine> machine_;
  DynamicSilenceSchedule schedule_;
  std::vector<float> pending_;
  std::vector<float> scores_;
  std::vector<float> decibels_;
  int64_t received_samples_ = 0;
  VadTrace* trace_ = nullptr;
};

}  // namespace funasr::vad
