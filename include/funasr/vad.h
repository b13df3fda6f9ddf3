// libfunasr: FSMN-VAD voice activity detection (FunASR's `fsmn-vad`,
// speech_fsmn_vad_zh-cn-16k-common), offline and streaming.
//
//   auto vad = funasr::VadModel::Load("models/fsmn-vad");      // released dir or native file
//   auto segments = vad->Detect(samples, n);                    // [[start_ms, end_ms], ...]
//
//   auto stream = vad->CreateStream();                          // one per audio stream
//   for (...) for (auto& e : stream->AcceptWaveform(chunk, len, last)) { ... }
//
// Audio is mono float PCM in [-1, 1) at the model's sample rate (16 kHz). Times are in
// milliseconds on the stream's own time axis (sample 0 = 0 ms).
//
// Results equal FunASR's FsmnVADStreaming (Python, v1.4.3) for the same options. FunASR's
// current default ends segments with a *dynamic* end-silence schedule (shorter silences end
// a segment the longer it lasts); FunASR <= 1.3.3 and FunASR's C++ runtime use the fixed
// `max_end_silence_time` ("classic" behaviour, `VadOptions::Classic()`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "funasr/error.h"

namespace funasr {

// One speech segment or, from a stream, one event. Offline results always have both ends.
// Stream events follow FunASR's streaming format: {start, -1} = a segment started (its end
// comes in a later event), {-1, end} = the open segment ended, {start, end} = a whole
// segment that started and ended within one call.
struct VadSegment {
  int64_t start_ms = -1;
  int64_t end_ms = -1;

  bool operator==(const VadSegment& o) const {
    return start_ms == o.start_ms && end_ms == o.end_ms;
  }
  bool operator!=(const VadSegment& o) const { return !(*this == o); }
};

// Per-call options. Unset optionals take the model's config.yaml value (`model_conf`, or
// `vad_post_conf` in legacy vad.yaml); the numbers in the comments are the released values.
struct VadOptions {
  // Dynamic end-silence schedule (FunASR >= 1.3.9): while in speech the end silence shrinks
  // from 2000 ms to 100 ms as speech accumulates (10 s steps), with speech threshold 0.5.
  // Unset = FunASR's rule: on unless max_end_silence_time_ms is given. false = classic.
  std::optional<bool> dynamic_silence;
  // Silence that ends a segment when the schedule is off (800).
  std::optional<int> max_end_silence_time_ms;
  // Segments are force-split at this length (60000).
  std::optional<int> max_single_segment_time_ms;
  // Single-utterance mode only: give up after this much leading silence (3000).
  std::optional<int> max_start_silence_time_ms;
  // A frame is speech when 1 - p_sil >= p_sil + thres (0.6). While the dynamic schedule is
  // on it sets 0.5 before every chunk (FunASR), so this only matters with it off.
  std::optional<double> speech_noise_thres;
  // Window detector: window length and the speech-frame counts (as ms) that switch state
  // (200 / 150 / 150).
  std::optional<int> window_size_ms;
  std::optional<int> sil_to_speech_time_thres_ms;
  std::optional<int> speech_to_sil_time_thres_ms;
  // Padding added before a detected start / after an end when do_extend (200 / 100 / true).
  std::optional<int> lookback_time_start_point_ms;
  std::optional<int> lookahead_time_end_point_ms;
  std::optional<bool> do_extend;
  // Frames quieter than this are silence; frames whose SNR over the running noise level is
  // below snr_thres are not speech (both -100 dB = off).
  std::optional<double> decibel_thres;
  std::optional<double> snr_thres;
  // Detect several segments (true, FunASR's detect_mode 1) or stop after the first (false).
  std::optional<bool> multiple_segments;

  // FunASR's `chunk_size` (ms): audio is processed in chunks of this length; the dynamic
  // schedule advances by this much per chunk spent in speech. 0 = Detect(): 60000 (FunASR's
  // default); streams: each AcceptWaveform call is processed at once as one chunk and the
  // schedule advances by its duration. Set it to the chunk length FunASR was called with
  // (e.g. 200 or 600) to reproduce FunASR's streaming output exactly; a stream then buffers
  // input until a whole chunk has arrived, as FunASR does.
  int chunk_size_ms = 0;

  // FunASR <= 1.3.3 / C++ runtime behaviour: fixed end silence, speech threshold 0.6.
  static VadOptions Classic() {
    VadOptions o;
    o.dynamic_silence = false;
    return o;
  }
};

// A stream: feed audio chunks in order; the last call has is_final = true. Not thread-safe
// (one stream per thread at a time); many streams may share one VadModel.
class VadStream {
 public:
  virtual ~VadStream() = default;

  // Processes `n` samples (any n, including 0) and returns the events they complete (see
  // VadSegment). After an is_final call every started segment has ended and the stream is
  // reset: the next call starts a new stream at 0 ms.
  virtual std::vector<VadSegment> AcceptWaveform(const float* samples, size_t n,
                                                 bool is_final = false) = 0;
  std::vector<VadSegment> AcceptWaveform(const std::vector<float>& samples,
                                         bool is_final = false) {
    return AcceptWaveform(samples.data(), samples.size(), is_final);
  }

  // Discards all state (as after an is_final call).
  virtual void Reset() = 0;

  // Milliseconds of audio received since the start (or the last reset).
  virtual int64_t received_ms() const = 0;
};

// The loaded model: immutable, shareable by any number of threads.
class VadModel {
 public:
  // `path`: a released FunASR model directory (config.yaml + model.pt + am.mvn, or the
  // legacy vad.yaml + vad.pb + vad.mvn) or a libfunasr native model file. Throws
  // funasr::Error when the files are missing/invalid or the model is not an FSMN-VAD.
  static std::shared_ptr<const VadModel> Load(const std::string& path);

  virtual ~VadModel() = default;

  // Whole audio in, closed segments out ([start_ms, end_ms], in order).
  virtual std::vector<VadSegment> Detect(const float* samples, size_t n,
                                         const VadOptions& options = {}) const = 0;
  std::vector<VadSegment> Detect(const std::vector<float>& samples,
                                 const VadOptions& options = {}) const {
    return Detect(samples.data(), samples.size(), options);
  }

  virtual std::unique_ptr<VadStream> CreateStream(const VadOptions& options = {}) const = 0;

  // Input sample rate (frontend_conf.fs, 16000).
  virtual int sample_rate() const = 0;
};

}  // namespace funasr
