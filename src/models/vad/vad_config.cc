#include "models/vad/vad_config.h"

#include <cmath>

#include "core/check.h"
#include "io/model_files.h"

namespace funasr::vad {

namespace {

// FunASR's do_extend is an int used as a truth value; accept true/false as well.
bool ReadTruthValue(const io::ConfigReader& section, const std::string& key, bool def) {
  if (!section.Has(key)) return def;
  const YAML::Node node = section.node()[key];
  if (node.IsScalar()) {
    const std::string s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  return section.GetInt(key, def ? 1 : 0) != 0;
}

void CheckFinite(double v, const char* name, const std::string& where) {
  FUNASR_CHECK(std::isfinite(v), ErrorCode::kFormatError, where, ": ", name,
               " must be a finite number");
}

}  // namespace

VadConfig VadConfig::FromConfig(const io::ConfigReader& s) {
  VadConfig c;
  c.sample_rate = static_cast<int>(s.GetInt("sample_rate", c.sample_rate));
  c.detect_mode = static_cast<int>(s.GetInt("detect_mode", c.detect_mode));
  c.max_end_silence_time = s.GetDouble("max_end_silence_time", c.max_end_silence_time);
  c.max_start_silence_time = s.GetDouble("max_start_silence_time", c.max_start_silence_time);
  c.window_size_ms = s.GetDouble("window_size_ms", c.window_size_ms);
  c.sil_to_speech_time_thres =
      s.GetDouble("sil_to_speech_time_thres", c.sil_to_speech_time_thres);
  c.speech_to_sil_time_thres =
      s.GetDouble("speech_to_sil_time_thres", c.speech_to_sil_time_thres);
  c.speech_2_noise_ratio = s.GetDouble("speech_2_noise_ratio", c.speech_2_noise_ratio);
  c.do_extend = ReadTruthValue(s, "do_extend", c.do_extend);
  c.lookback_time_start_point =
      s.GetDouble("lookback_time_start_point", c.lookback_time_start_point);
  c.lookahead_time_end_point =
      s.GetDouble("lookahead_time_end_point", c.lookahead_time_end_point);
  c.max_single_segment_time = s.GetDouble("max_single_segment_time", c.max_single_segment_time);
  c.snr_thres = s.GetDouble("snr_thres", c.snr_thres);
  c.noise_frame_num_used_for_snr = static_cast<int>(
      s.GetInt("noise_frame_num_used_for_snr", c.noise_frame_num_used_for_snr));
  c.decibel_thres = s.GetDouble("decibel_thres", c.decibel_thres);
  c.speech_noise_thres = s.GetDouble("speech_noise_thres", c.speech_noise_thres);
  std::vector<int64_t> ids = s.GetIntList("sil_pdf_ids", {0});
  c.sil_pdf_ids.assign(ids.begin(), ids.end());
  c.frame_in_ms = s.GetDouble("frame_in_ms", c.frame_in_ms);
  c.frame_length_ms = s.GetDouble("frame_length_ms", c.frame_length_ms);

  // FunASR asserts len(sil_pdf_ids) == silence_pdf_num on every frame.
  const int64_t silence_pdf_num = s.GetInt("silence_pdf_num", 1);
  if (silence_pdf_num != static_cast<int64_t>(c.sil_pdf_ids.size()))
    s.Fail("silence_pdf_num", "must equal the number of sil_pdf_ids (" +
                                  std::to_string(c.sil_pdf_ids.size()) + ")");
  // Read (type-checked) but inert, see the header.
  (void)s.GetInt("snr_mode", 0);
  (void)s.GetBool("do_start_point_detection", true);
  (void)s.GetBool("do_end_point_detection", true);
  (void)s.GetDouble("fe_prior_thres", 1e-4);
  (void)s.GetDouble("speech_noise_thresh_low", -0.1);
  (void)s.GetDouble("speech_noise_thresh_high", 0.3);
  (void)s.GetBool("output_frame_probs", false);

  try {
    c.Validate(s.file());
  } catch (const Error& e) {
    throw Error(ErrorCode::kFormatError, e.what());
  }
  return c;
}

void VadConfig::Validate(const std::string& where) const {
  const ErrorCode code = ErrorCode::kInvalidArgument;
  FUNASR_CHECK(sample_rate > 0, code, where, ": sample_rate must be positive");
  FUNASR_CHECK(detect_mode == 0 || detect_mode == 1, code, where,
               ": detect_mode must be 0 (single) or 1 (multiple), got ", detect_mode);
  for (double v : {max_end_silence_time, max_start_silence_time, window_size_ms,
                   sil_to_speech_time_thres, speech_to_sil_time_thres, speech_2_noise_ratio,
                   lookback_time_start_point, lookahead_time_end_point, max_single_segment_time,
                   snr_thres, decibel_thres, speech_noise_thres, frame_in_ms, frame_length_ms})
    CheckFinite(v, "every VAD time/threshold", where);
  FUNASR_CHECK(frame_in_ms > 0 && frame_length_ms >= frame_in_ms, code, where,
               ": need frame_in_ms > 0 and frame_length_ms >= frame_in_ms");
  FUNASR_CHECK(FrameShiftSamples() > 0, code, where, ": frame_in_ms * sample_rate too small");
  FUNASR_CHECK(WindowFrames() >= 1, code, where,
               ": window_size_ms must cover at least one frame (", frame_in_ms, " ms)");
  FUNASR_CHECK(max_end_silence_time >= 0 && max_start_silence_time >= 0 &&
                   sil_to_speech_time_thres >= 0 && speech_to_sil_time_thres >= 0 &&
                   lookback_time_start_point >= 0 && lookahead_time_end_point >= 0,
               code, where, ": VAD times must not be negative");
  FUNASR_CHECK(max_single_segment_time > 0, code, where,
               ": max_single_segment_time must be positive");
  FUNASR_CHECK(noise_frame_num_used_for_snr >= 1, code, where,
               ": noise_frame_num_used_for_snr must be >= 1");
  FUNASR_CHECK(!sil_pdf_ids.empty(), code, where, ": sil_pdf_ids must not be empty");
  for (int id : sil_pdf_ids)
    FUNASR_CHECK(id >= 0, code, where, ": sil_pdf_ids must not be negative");
}

VadConfig VadConfig::WithOverrides(const VadOptions& o) const {
  VadConfig c = *this;
  if (o.max_end_silence_time_ms) c.max_end_silence_time = *o.max_end_silence_time_ms;
  if (o.max_single_segment_time_ms) c.max_single_segment_time = *o.max_single_segment_time_ms;
  if (o.max_start_silence_time_ms) c.max_start_silence_time = *o.max_start_silence_time_ms;
  if (o.speech_noise_thres) c.speech_noise_thres = *o.speech_noise_thres;
  if (o.window_size_ms) c.window_size_ms = *o.window_size_ms;
  if (o.sil_to_speech_time_thres_ms) c.sil_to_speech_time_thres = *o.sil_to_speech_time_thres_ms;
  if (o.speech_to_sil_time_thres_ms) c.speech_to_sil_time_thres = *o.speech_to_sil_time_thres_ms;
  if (o.lookback_time_start_point_ms)
    c.lookback_time_start_point = *o.lookback_time_start_point_ms;
  if (o.lookahead_time_end_point_ms) c.lookahead_time_end_point = *o.lookahead_time_end_point_ms;
  if (o.do_extend) c.do_extend = *o.do_extend;
  if (o.decibel_thres) c.decibel_thres = *o.decibel_thres;
  if (o.snr_thres) c.snr_thres = *o.snr_thres;
  if (o.multiple_segments) c.detect_mode = *o.multiple_segments ? 1 : 0;
  FUNASR_CHECK(o.chunk_size_ms >= 0, ErrorCode::kInvalidArgument,
               "VadOptions: chunk_size_ms must not be negative, got ", o.chunk_size_ms);
  c.Validate("VadOptions");
  return c;
}

}  // namespace funasr::vad
