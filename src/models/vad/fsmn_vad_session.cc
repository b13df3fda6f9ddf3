#include "models/vad/fsmn_vad_session.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"

namespace funasr::vad {

namespace {

frontend::OnlineFrontendOptions VadFrontendOptions() {
  frontend::OnlineFrontendOptions o;
  o.keep_waveform = true;            // decibels are computed on each frame's own samples
  o.funasr_final_chunk_quirk = true;  // FunASR scores nothing for a < 3-frame final tail
  return o;
}

}  // namespace

FsmnVadSession::FsmnVadSession(std::shared_ptr<const FsmnVadModel> model,
                               const VadOptions& options, bool streaming_format)
    : model_(std::move(model)),
      config_(model_->config().WithOverrides(options)),
      streaming_format_(streaming_format),
      // FunASR: dynamic_silence = kwargs.get("dynamic_silence", max_end_silence_time is None).
      dynamic_(options.dynamic_silence.value_or(!options.max_end_silence_time_ms.has_value())),
      frontend_(model_->frontend(), VadFrontendOptions()),
      encoder_cache_(model_->encoder().NewCache()),
      schedule_(config_.speech_to_sil_time_thres) {
  // FunASR's default chunk_size is 60000 ms; a stream without one processes every call
  // as it comes.
  int chunk_ms = options.chunk_size_ms;
  if (chunk_ms == 0 && !streaming_format_) chunk_ms = 60000;
  if (chunk_ms > 0) {
    chunk_samples_ = static_cast<size_t>(static_cast<int64_t>(chunk_ms) * model_->sample_rate() / 1000);
    FUNASR_CHECK(chunk_samples_ > 0, ErrorCode::kInvalidArgument, "VadOptions: chunk_size_ms ",
                 chunk_ms, " is shorter than one sample");
    chunk_ms_ = chunk_ms;
  }
  Reset();
}

void FsmnVadSession::set_trace(VadTrace* trace) {
  trace_ = trace;
  machine_->set_frame_state_trace(trace ? &trace->frame_state : nullptr);
}

void FsmnVadSession::Reset() {
  frontend_.Reset();
  encoder_cache_ = model_->encoder().NewCache();
  machine_.emplace(config_);
  if (trace_) machine_->set_frame_state_trace(&trace_->frame_state);
  schedule_.Reset();
  pending_.clear();
  received_samples_ = 0;
}

size_t FsmnVadSession::scratch_floats() const {
  return pending_.capacity() + scores_.capacity() + decibels_.capacity() +
         encoder_cache_.a.capacity() + encoder_cache_.b.capacity() +
         encoder_cache_.proj.capacity() + encoder_cache_.mem.capacity();
}

std::vector<VadSegment> FsmnVadSession::Accept(const float* samples, size_t n, bool is_final) {
  FUNASR_CHECK(samples != nullptr || n == 0, ErrorCode::kInvalidArgument,
               "VAD AcceptWaveform: null samples with n = ", n);
  std::vector<VadSegment> out;
  // FunASR returns at once for an empty call (even a final one, which would leave the
  // stream open for ever); here an empty final call still closes the stream.
  if (n == 0 && !is_final) return out;
  received_samples_ += static_cast<int64_t>(n);
  if (chunk_samples_ == 0) {
    ProcessChunk(samples, n, is_final, 1000.0 * static_cast<double>(n) / model_->sample_rate(),
                 &out);
  } else {
    // FunASR: audio = prev_samples ++ input; every whole chunk is processed (not final);
    // a final call then processes the remainder (possibly empty) as the final chunk.
    size_t pos = 0;
    if (!pending_.empty()) {
      const size_t take = std::min(chunk_samples_ - pending_.size(), n);
      pending_.insert(pending_.end(), samples, samples + take);
      pos = take;
      if (pending_.size() == chunk_samples_) {
        ProcessChunk(pending_.data(), pending_.size(), false, chunk_ms_, &out);
        pending_.clear();
      }
    }
    for (; n - pos >= chunk_samples_; pos += chunk_samples_)
      ProcessChunk(samples + pos, chunk_samples_, false, chunk_ms_, &out);
    pending_.insert(pending_.end(), samples + pos, samples + n);
    if (is_final) ProcessChunk(pending_.data(), pending_.size(), true, chunk_ms_, &out);
  }
  if (is_final) Reset();
  return out;
}

void FsmnVadSession::ProcessChunk(const float* samples, size_t n, bool is_final,
                                  double chunk_ms, std::vector<VadSegment>* out) {
  if (dynamic_) schedule_.BeforeChunk(&*machine_, chunk_ms);
  frontend::OnlineFeatures feats =
      frontend_.AcceptWaveform(samples, static_cast<int64_t>(n), is_final);
  const int64_t k = feats.num_frames();
  const size_t before = out->size();
  if (k > 0) {
    const int out_dim = model_->encoder().config().output_dim;
    // Decibels of the rows' own samples: row t spans [t*shift, t*shift + length).
    const int shift = config_.FrameShiftSamples();
    const int length = config_.FrameLengthSamples();
    decibels_.resize(static_cast<size_t>(k));
    const int64_t wave_len = static_cast<int64_t>(feats.waveform.size());
    const int64_t base = feats.first_frame * shift - feats.waveform_start;
    for (int64_t i = 0; i < k; ++i) {
      const int64_t b = std::clamp<int64_t>(base + i * shift, 0, wave_len);
      const int64_t e = std::min<int64_t>(b + length, wave_len);
      double energy = 0;
      for (int64_t j = b; j < e; ++j)
        energy += static_cast<double>(feats.waveform[j]) * feats.waveform[j];
      decibels_[i] = static_cast<float>(10.0 * std::log10(energy + 1e-6));
    }
    scores_.resize(static_cast<size_t>(k) * out_dim);
    model_->encoder().Forward(feats.features.data<float>(), k, &encoder_cache_, scores_.data());
    if (trace_) {
      const int sil = config_.sil_pdf_ids[0];
      for (int64_t i = 0; i < k; ++i) trace_->sil_prob.push_back(scores_[i * out_dim + sil]);
      trace_->decibel.insert(trace_->decibel.end(), decibels_.begin(), decibels_.end());
      if (trace_->keep_full_scores)
        trace_->full_scores.insert(trace_->full_scores.end(), scores_.begin(), scores_.end());
      trace_->forwards.push_back(VadTrace::Forward{k, is_final, machine_->end_silence_ms(),
                                                   machine_->speech_noise_thres()});
    }
    machine_->AcceptFrames(scores_.data(), k, out_dim, decibels_.data(), is_final);
    machine_->CollectSegments(streaming_format_, is_final, out);
  }
  if (dynamic_) schedule_.AfterChunk(out->size() > before);
}

}  // namespace funasr::vad
