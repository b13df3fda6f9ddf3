// libfunasr: the long-audio pipeline (FunASR AutoModel with vad_model / punc_model).
//
//   audio ─► FSMN-VAD segments ─► sorted, batched by a duration budget ─► Paraformer
//         ─► back in time order, token timestamps + segment start ─► texts joined
//         ─► CT-Transformer punctuation over the whole text ─► sentences (sentence_info)
//
// Any stage may be absent: without VAD the audio is one utterance (cut at low-energy points
// into pieces of at most max_segment_ms); without punctuation the text stays raw; with only
// a VAD model the result holds the speech segments; with only a punctuation model,
// Punctuate() punctuates text.
//
// Audio is read and processed in a stream: memory is bounded by the batch budget and the
// maximum segment length, not by the length of the file.
//
// Thread safety: a Pipeline is immutable after Load(); every const method may be called from
// several threads at once (each call keeps its own request state). Results are independent
// values.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "funasr/error.h"
#include "funasr/result.h"  // TimeSpanMs, SentenceInfo

namespace funasr {

// One decoded speech segment, in time order.
struct SegmentTranscript {
  TimeSpanMs span;                     // the VAD segment (or the no-VAD piece)
  std::string text;                    // ASR text of the segment (FunASR spacing)
  std::vector<TimeSpanMs> timestamps;  // per output word, absolute (empty without timestamps)
};

// What a transcription returns; mirrors AutoModel's result dict (see ToAutoModelJson).
struct TranscriptionResult {
  std::string key;                     // input name (file name without extension)
  double duration_ms = 0;              // audio duration at 16 kHz
  // VAD output (`value` of a VAD-only AutoModel result); empty when no VAD model ran.
  std::vector<TimeSpanMs> vad_segments;
  bool has_asr = false;                // an ASR model ran (text fields below are meaningful)
  std::string text;                    // final text: punctuated when punctuation ran
  std::string raw_text;                // segment texts joined by " " (before punctuation)
  std::vector<TimeSpanMs> timestamps;  // per output word, absolute (AutoModel `timestamp`)
  bool has_timestamps = false;         // the ASR model produces timestamps (BiCif / SeACo)
  std::vector<SentenceInfo> sentences; // AutoModel `sentence_info`
  std::vector<SegmentTranscript> segments;  // per-segment results in time order
  bool punctuated = false;             // a punctuation model ran over `text`
  // Punctuation class per token for a text-only result (AutoModel's punctuation-model
  // `punc_array`); empty for audio results, as in AutoModel's pipeline output.
  std::vector<int> punc_array;
};

// Output of Punctuate().
struct PunctuationOutput {
  std::string text;                    // punctuated text
  std::vector<int> punc_ids;           // class per token (1 = none, 2 = ，, 3 = 。, 4 = ？, 5 = 、)
};

// Pipeline behaviour; every field carries FunASR's default where FunASR has one.
struct PipelineOptions {
  // Longest speech segment in ms: the VAD's max_single_segment_time, and the longest piece
  // the no-VAD path cuts the audio into. FunASR default 60000; 30000 is a common choice.
  int max_segment_ms = 60000;
  // VAD end-of-speech silence in ms (max_end_silence_time); < 0 keeps the model's value
  // (800 in the released config). Setting it switches FunASR's dynamic silence off, as
  // passing max_end_silence_time to AutoModel does.
  int max_end_silence_ms = -1;
  // FunASR (>= 1.3.9) dynamic end-silence schedule; on by default as in FunASR.
  bool vad_dynamic_silence = true;
  // Duration budget of one ASR batch in seconds (AutoModel batch_size_s): segments sorted by
  // duration are grouped while (longest in group) x (count) stays under it. 0 decodes every
  // segment alone (what AutoModel does on CPU).
  double batch_seconds = 300;
  // Segments at least this long are decoded alone (AutoModel batch_size_threshold_s).
  double batch_threshold_seconds = 60;
  // Compute threads per request (0 = number of physical cores).
  int num_threads = 0;
  // Build sentence_info (AutoModel sentence_timestamp=True).
  bool sentence_info = true;
};

// Which models to load. Each path is a released FunASR directory or a libfunasr native
// file; an empty path leaves that stage out.
struct PipelineConfig {
  std::string vad_model;
  std::string asr_model;
  std::string punc_model;
  // Weight type for ASR compute: "auto" (as stored), "f32", "int8" (native files only).
  std::string dtype = "auto";
  PipelineOptions options;
};

// Progress of one request, reported after each decoded batch and VAD block.
struct PipelineProgress {
  double fraction = 0;          // 0..1 of the input processed (1 when done)
  int64_t segments_decoded = 0; // speech segments decoded so far
  double audio_ms_read = 0;     // input read so far
};
// Return false to cancel the request (it then throws Error with ErrorCode::kCancelled).
using ProgressCallback = std::function<bool(const PipelineProgress&)>;

struct TranscribeOptions {
  std::string key;                      // result key; "" = file name without extension
  std::vector<std::string> hotwords;    // for SeACo / contextual models (ignored by others)
  ProgressCallback on_progress;         // may be empty
  const std::atomic<bool>* cancel = nullptr;  // set to true (any thread) to cancel
  int num_threads = 0;                  // > 0 overrides PipelineOptions::num_threads
};

class Pipeline {
 public:
  // Loads the configured models. Throws funasr::Error naming the model path on failure,
  // and kInvalidArgument when no model is given or an option is out of range.
  static std::shared_ptr<const Pipeline> Load(const PipelineConfig& config);

  virtual ~Pipeline() = default;

  // Transcribes an audio file (any format the audio reader decodes, any sample rate,
  // channels mixed down). path "-" reads standard input.
  virtual TranscriptionResult TranscribeFile(const std::string& path,
                                             const TranscribeOptions& options = {}) const = 0;
  // Transcribes PCM samples (mono, float in [-1, 1]) at `sample_rate`.
  virtual TranscriptionResult TranscribePcm(const float* samples, size_t n, int sample_rate,
                                            const TranscribeOptions& options = {}) const = 0;
  // Same for 16-bit integer PCM.
  virtual TranscriptionResult TranscribePcm16(const int16_t* samples, size_t n, int sample_rate,
                                              const TranscribeOptions& options = {}) const = 0;
  // Punctuates text with the punctuation model (kInvalidArgument without one).
  virtual PunctuationOutput Punctuate(const std::string& text) const = 0;

  virtual bool has_vad() const = 0;
  virtual bool has_asr() const = 0;
  virtual bool has_punctuation() const = 0;
  // True when the ASR model produces token timestamps (BiCif, SeACo).
  virtual bool asr_has_timestamps() const = 0;
  // True when the ASR model takes hotwords (SeACo, contextual).
  virtual bool asr_supports_hotwords() const = 0;
  virtual const PipelineOptions& options() const = 0;
};

// The result as the JSON object AutoModel.generate returns for one input: ASR results
// {"key", "text", "timestamp", "sentence_info": [{"text","start","end","timestamp"}]}
// (timestamp / sentence_info only when present); VAD-only {"key", "value": [[s, e], ...]};
// text-only punctuation {"key", "text", "punc_array"}.
// indent < 0 gives one line.
std::string ToAutoModelJson(const TranscriptionResult& result, int indent = -1);

}  // namespace funasr
