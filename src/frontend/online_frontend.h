// OnlineWavFrontend: FunASR's WavFrontendOnline, the streaming feature pipeline the
// FSMN-VAD runs on (spec frontend-vad-punc.md §2.4 "Streaming LFR", §2.6).
//
// Feed audio in chunks of any size (0, 1 sample, less than a frame, minutes); each call
// returns the LFR(+CMVN) rows that became complete. Concatenating the rows of all calls of
// a stream, the last one with is_final = true, gives exactly WavFrontend::Compute() of the
// whole waveform, with two documented exceptions:
//   * a whole stream shorter than one frame (400 samples) gives no rows here, while the
//     offline WavFrontend shrinks its window to the waveform and gives one (FunASR's
//     WavFrontend vs WavFrontendOnline behave the same way);
//   * with OnlineFrontendOptions::funasr_final_chunk_quirk, the FunASR quirk below.
//
// Bookkeeping, in FunASR's terms (L = (lfr_m - 1) / 2, rows in 10 ms fbank frames):
//   * fbank: every frame that fits completely in the samples received so far is computed
//     (FunASR's `input_cache` = the samples not yet covered by a frame hop);
//   * LFR: row i stacks fbank frames clamp(i*lfr_n + j - L, 0, T-1), j < lfr_m. A row is
//     emitted as soon as its last frame i*lfr_n + lfr_m - 1 - L exists (FunASR's
//     `lfr_splice_cache` initialised with L copies of frame 0, "complete windows only");
//     the final call emits the remaining rows up to ceil(T / lfr_n), padding with the last
//     frame. For the VAD (5/1) this is one row per fbank frame, lagging 2 frames until final.
//   * waveform (keep_waveform): the unscaled samples aligned with the emitted rows, as
//     FunASR >= 1.3.15 returns `aligned_waveforms` for the VAD's decibels: row t covers
//     samples [t*S, t*S + W) with S = lfr_n * frame shift, W = frame length (VAD: 160, 400),
//     and a call emitting rows e..e+k-1 returns samples [e*S, (e+k-1)*S + W) (clipped to the
//     samples received). The VAD's dB of row t = 10 log10(sum of its W squared samples + 1e-6).
//
// FunASR quirk (funasr_final_chunk_quirk, default off): when the final call brings new
// fbank frames but the splice cache plus the new frames are fewer than lfr_m, FunASR emits
// nothing for them (Python and C++ runtime alike). For 5/1 this only happens when a whole
// stream has fewer than 3 frames; for 7/6 whenever the last chunk is short. Enable it to
// reproduce FunASR's streaming VAD exactly; leave it off to get the offline features.
//
// Scaling follows the WavFrontend's upsacle_samples (FunASR's WavFrontendOnline always
// multiplies by 32768; the two differ only for a config that sets upsacle_samples: false).
//
// After a call with is_final = true the object is reset and accepts a new stream.
// An OnlineWavFrontend is per-stream state; the WavFrontend it reads is shared.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "frontend/online_fbank.h"
#include "frontend/wav_frontend.h"

namespace funasr::frontend {

struct OnlineFrontendOptions {
  bool keep_waveform = false;             // return the samples aligned with emitted rows
  bool funasr_final_chunk_quirk = false;  // drop a short final chunk's rows like FunASR
};

// What one AcceptWaveform call produced.
struct OnlineFeatures {
  Tensor features;              // [k, output_dim] rows, k >= 0 (LFR, then CMVN if any)
  int64_t first_frame = 0;      // stream index of features row 0 (rows emitted before)
  std::vector<float> waveform;  // keep_waveform: unscaled samples of the rows (see above)
  int64_t waveform_start = 0;   // stream index of waveform[0] (= first_frame * S)
  int64_t num_frames() const { return features.defined() ? features.dim(0) : 0; }
};

class OnlineWavFrontend {
 public:
  // `frontend` (options and CMVN) must outlive this object.
  explicit OnlineWavFrontend(const WavFrontend& frontend, OnlineFrontendOptions opts = {});

  // Feeds `n` >= 0 samples in [-1, 1) at the frontend's fs. With is_final, flushes the
  // remaining rows and resets for a new stream.
  OnlineFeatures AcceptWaveform(const float* samples, int64_t n, bool is_final);
  OnlineFeatures AcceptWaveform(const std::vector<float>& samples, bool is_final) {
    return AcceptWaveform(samples.data(), static_cast<int64_t>(samples.size()), is_final);
  }

  // Forgets the current stream.
  void Reset();

  const WavFrontend& frontend() const { return *frontend_; }
  int64_t num_samples() const { return fbank_.num_samples(); }   // of the current stream
  int64_t num_fbank_frames() const { return fbank_.num_frames(); }
  int64_t num_rows_emitted() const { return rows_emitted_; }
  // Samples one LFR row advances (lfr_n * frame shift) and spans (frame length).
  int row_shift_samples() const { return row_shift_; }
  int row_length_samples() const { return row_length_; }

 private:
  // Emits rows [rows_emitted_, end) from the splice buffer (clamping at the stream end).
  OnlineFeatures EmitRows(int64_t end);

  const WavFrontend* frontend_;
  OnlineFrontendOptions opts_;
  OnlineFbank fbank_;
  int row_shift_;
  int row_length_;
  std::vector<float> splice_;  // fbank rows from frame splice_start_ to num_fbank_frames()-1
  int64_t splice_start_ = 0;
  int64_t rows_emitted_ = 0;
  std::vector<float> wave_;    // keep_waveform: samples from wave_start_ on
  int64_t wave_start_ = 0;
};

}  // namespace funasr::frontend
