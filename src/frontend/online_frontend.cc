#include "frontend/online_frontend.h"

#include <algorithm>
#include <cstring>

#include "core/check.h"
#include "frontend/cmvn.h"

namespace funasr::frontend {

OnlineWavFrontend::OnlineWavFrontend(const WavFrontend& frontend, OnlineFrontendOptions opts)
    : frontend_(&frontend),
      opts_(opts),
      fbank_(frontend.fbank(), frontend.input_scale()),
      row_shift_(frontend.lfr().lfr_n * frontend.fbank().window_shift()),
      row_length_(frontend.fbank().window_size()) {}

void OnlineWavFrontend::Reset() {
  fbank_.Reset();
  splice_.clear();
  splice_start_ = 0;
  rows_emitted_ = 0;
  wave_.clear();
  wave_start_ = 0;
}

OnlineFeatures OnlineWavFrontend::AcceptWaveform(const float* samples, int64_t n, bool is_final) {
  FUNASR_CHECK(n >= 0 && (samples != nullptr || n == 0), ErrorCode::kInvalidArgument,
               "OnlineWavFrontend: invalid chunk of ", n, " samples");
  const int64_t first_sample = fbank_.num_samples();
  if (opts_.keep_waveform) {
    // Samples before wave_start_ belong to rows already emitted.
    const int64_t skip = std::clamp<int64_t>(wave_start_ - first_sample, 0, n);
    wave_.insert(wave_.end(), samples + skip, samples + n);
  }

  const int dim = fbank_.dim();
  const int64_t frames_before = fbank_.num_frames();
  std::vector<float> fresh;
  const int64_t new_frames = fbank_.AcceptWaveform(samples, n, &fresh);
  // Keep only frames from splice_start_ on (earlier ones are needed by no future row).
  const int64_t skip_frames = std::clamp<int64_t>(splice_start_ - frames_before, 0, new_frames);
  splice_.insert(splice_.end(), fresh.begin() + skip_frames * dim, fresh.end());

  const LfrOptions& lfr = frontend_->lfr();
  const int64_t m = lfr.lfr_m;
  const int64_t hop = lfr.lfr_n;
  const int64_t left = lfr.left_padding();
  const int64_t total = fbank_.num_frames();

  if (!is_final) {
    // Row i is complete once frame i*hop + m - 1 - left exists.
    const int64_t last_needed_offset = m - 1 - left;
    int64_t end = total > last_needed_offset ? (total - 1 - last_needed_offset) / hop + 1 : 0;
    return EmitRows(std::max(end, rows_emitted_));
  }

  int64_t end = lfr.NumOutputFrames(total);
  // FunASR: the splice cache (left padding + unconsumed frames) plus this call's frames
  // must hold one full window, else the final call emits nothing.
  if (opts_.funasr_final_chunk_quirk && new_frames > 0 && left + total - rows_emitted_ * hop < m)
    end = rows_emitted_;
  OnlineFeatures out = EmitRows(std::max(end, rows_emitted_));
  Reset();
  return out;
}

OnlineFeatures OnlineWavFrontend::EmitRows(int64_t end) {
  const LfrOptions& lfr = frontend_->lfr();
  const int dim = fbank_.dim();
  const int64_t out_dim = int64_t{lfr.lfr_m} * dim;
  const int64_t total = fbank_.num_frames();
  const int64_t begin = rows_emitted_;
  const int64_t count = end - begin;

  OnlineFeatures out;
  out.first_frame = begin;
  out.features = Tensor::Zeros(DType::kF32, {count, out_dim});
  if (count == 0) {
    out.waveform_start = begin * row_shift_;
    return out;
  }
  float* dst = out.features.mutable_data<float>();
  for (int64_t i = begin; i < end; ++i) {
    for (int j = 0; j < lfr.lfr_m; ++j) {
      const int64_t src = std::clamp<int64_t>(i * lfr.lfr_n + j - lfr.left_padding(), 0, total - 1);
      FUNASR_ASSERT(src >= splice_start_ && (src - splice_start_) * dim < int64_t(splice_.size()));
      std::memcpy(dst + ((i - begin) * lfr.lfr_m + j) * dim,
                  splice_.data() + (src - splice_start_) * dim, sizeof(float) * dim);
    }
  }
  if (frontend_->cmvn()) ApplyCmvn(*frontend_->cmvn(), dst, count, out_dim);
  rows_emitted_ = end;

  // Drop frames no later row needs.
  const int64_t keep_from = std::max<int64_t>(0, end * lfr.lfr_n - lfr.left_padding());
  if (keep_from > splice_start_) {
    const int64_t drop = std::min<int64_t>(keep_from - splice_start_, total - splice_start_);
    splice_.erase(splice_.begin(), splice_.begin() + drop * dim);
    splice_start_ = keep_from;
  }

  if (opts_.keep_waveform) {
    const int64_t received = fbank_.num_samples();
    const int64_t start = begin * row_shift_;
    const int64_t stop = std::min(received, (end - 1) * row_shift_ + row_length_);
    FUNASR_ASSERT(start >= wave_start_ && stop >= start);
    out.waveform.assign(wave_.begin() + (start - wave_start_), wave_.begin() + (stop - wave_start_));
    out.waveform_start = start;
    const int64_t next = end * row_shift_;
    const int64_t drop = std::min<int64_t>(next - wave_start_, static_cast<int64_t>(wave_.size()));
    wave_.erase(wave_.begin(), wave_.begin() + drop);
    wave_start_ = next;
  } else {
    out.waveform_start = begin * row_shift_;
  }
  return out;
}

}  // namespace funasr::frontend
