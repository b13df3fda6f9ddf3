// Options of the Kaldi filterbank, named as in Kaldi (feature-window.h, mel-computations.h,
// feature-fbank.h) so that a Kaldi or torchaudio.compliance.kaldi user recognises them.
//
// Defaults are the values FunASR's WavFrontend passes to torchaudio.compliance.kaldi.fbank
// (spec frontend-vad-punc.md §2.3), not Kaldi's own defaults where the two differ
// (Kaldi: window_type "povey", num_bins 23, energy_floor 1.0).
#pragma once

#include <string>

namespace funasr::frontend {

struct FrameExtractionOptions {
  // Times are double (Kaldi: float) because torchaudio does this arithmetic in Python
  // doubles and FunASR passes fractional frame lengths for inputs shorter than 25 ms.
  double samp_freq = 16000.0;         // sample rate of the waveform in Hz
  double frame_shift_ms = 10.0;       // hop between frames
  double frame_length_ms = 25.0;      // frame (window) length
  float dither = 0.f;                 // must be 0: inference is deterministic (spec §2.7)
  float preemph_coeff = 0.97f;        // pre-emphasis x[i] -= c * x[i-1], x[0] -= c * x[0]
  bool remove_dc_offset = true;       // subtract the frame mean before pre-emphasis
  std::string window_type = "hamming";  // hamming | hanning | povey | rectangular | blackman
  bool round_to_power_of_two = true;  // FFT size = next power of two >= window size
  float blackman_coeff = 0.42f;       // only for window_type "blackman"
  bool snip_edges = true;             // only frames that fit completely (false: unsupported)

  // Samples per hop / per window: int(samp_freq * ms * 0.001), computed in double exactly
  // as torchaudio does so that fractional frame lengths round the same way.
  int WindowShift() const;
  int WindowSize() const;
  // FFT length: next power of two of WindowSize() (or WindowSize() itself when not
  // rounding, which this implementation rejects as it only has a radix-2 FFT).
  int PaddedWindowSize() const;
};

struct MelBanksOptions {
  int num_bins = 80;         // number of triangular mel filters
  float low_freq = 20.f;     // lower edge of the first filter in Hz
  float high_freq = 0.f;     // upper edge of the last filter; <= 0 means Nyquist + high_freq
};

struct FbankOptions {
  FrameExtractionOptions frame_opts;
  MelBanksOptions mel_opts;
  bool use_energy = false;     // extra log-energy column (true: unsupported)
  float energy_floor = 0.f;    // only used with use_energy
  bool use_log_fbank = true;   // log of the mel energies (floored at FLT_EPSILON)
  bool use_power = true;       // power spectrum |X|^2 (false: magnitude |X|)
};

}  // namespace funasr::frontend
