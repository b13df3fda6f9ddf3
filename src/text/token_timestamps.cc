#include "text/token_timestamps.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/check.h"

namespace funasr::text {
namespace {

// ts_prediction_lfr6_standard constants (upsampled frames).
constexpr double kStartEndThreshold = 5;
constexpr double kMaxTokenDuration = 12;
// FunASR compares float32 tensors with the Python float 1 - 1e-4, i.e. with its float32 value.
const float kFireThreshold = static_cast<float>(1.0 - 1e-4);

// cif_wo_hidden(alphas, threshold): float32 integrate-and-fire; peak[t] = integral before reset.
std::vector<float> CifWithoutHidden(const std::vector<float>& alphas, float threshold) {
  std::vector<float> peaks(alphas.size());
  float integrate = 0.0f;
  for (size_t t = 0; t < alphas.size(); ++t) {
    integrate += alphas[t];
    peaks[t] = integrate;
    if (integrate >= threshold) integrate -= threshold;
  }
  return peaks;
}

std::vector<double> FirePositions(const float* peaks, size_t n, double shift) {
  std::vector<double> fires;
  for (size_t t = 0; t < n; ++t)
    if (peaks[t] >= kFireThreshold) fires.push_back(static_cast<double>(t) + shift);
  return fires;
}

// Python float repr (shortest round-trip digits; exponent form when decpt <= -4 or > 16).
std::string PythonFloatRepr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  if (x == 0.0) return std::signbit(x) ? "-0.0" : "0.0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // e.g. "-1.2345e-05"
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  const size_t epos = sci.find('e');
  std::string digits = sci.substr(0, epos);
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  const int exp10 = std::atoi(sci.c_str() + epos + 1);
  const int decpt = exp10 + 1;  // value = 0.<digits> * 10^decpt
  std::string out = sign;
  if (decpt <= -4 || decpt > 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    const int e = decpt - 1;
    out += e < 0 ? "e-" : "e+";
    const std::string ed = std::to_string(std::abs(e));
    out += (ed.size() < 2 ? "0" : "") + ed;
  } else if (decpt <= 0) {
    out += "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
  } else if (static_cast<size_t>(decpt) >= digits.size()) {
    out += digits + std::string(static_cast<size_t>(decpt) - digits.size(), '0') + ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(decpt)) + "." +
           digits.substr(static_cast<size_t>(decpt));
  }
  return out;
}

}  // namespace

TokenTimestamps PredictTokenTimestamps(const float* us_alphas, const float* us_peaks,
                                       size_t num_frames, const std::vector<std::string>& tokens,
                                       const TokenTimestampOptions& options) {
  TokenTimestamps out;
  if (tokens.empty()) return out;
  FUNASR_CHECK(options.upsample_rate > 0, ErrorCode::kInvalidArgument,
               "token timestamps: upsample_rate must be positive, got ", options.upsample_rate);
  FUNASR_CHECK(num_frames == 0 || (us_alphas && us_peaks), ErrorCode::kInvalidArgument,
               "token timestamps: alphas/peaks are null");
  for (size_t t = 0; t < num_frames; ++t)
    FUNASR_CHECK(std::isfinite(us_alphas[t]) && std::isfinite(us_peaks[t]),
                 ErrorCode::kInvalidArgument, "token timestamps: non-finite alpha/peak at frame ",
                 t);

  std::vector<std::string> chars = tokens;
  if (chars.back() == "</s>") chars.pop_back();
  const size_t n = chars.size();
  const double time_rate = 10.0 * 6 / 1000 / options.upsample_rate;

  std::vector<double> fires = FirePositions(us_peaks, num_frames, options.force_time_shift);
  if (fires.size() != n + 1) {
    // alphas /= alphas.sum() / (n + 1), all in float32; then re-fire.
    double exact_sum = 0.0;
    for (size_t t = 0; t < num_frames; ++t) exact_sum += us_alphas[t];
    const float sum = static_cast<float>(exact_sum);
    const float scale = sum / static_cast<float>(n + 1);
    std::vector<float> alphas(us_alphas, us_alphas + num_frames);
    for (float& a : alphas) a = a / scale;
    const std::vector<float> peaks = CifWithoutHidden(alphas, kFireThreshold);
    fires = FirePositions(peaks.data(), peaks.size(), options.force_time_shift);
  }
  const double frames = static_cast<double>(num_frames);

  std::vector<TimestampEntry>& list = out.entries;
  if (fires.empty()) {
    // Python raises IndexError here; we give every token the whole input.
    for (const auto& c : chars) list.push_back({c, 0.0, frames * time_rate});
  } else {
    if (fires.size() > n + 1) fires.resize(n + 1);  // Python: IndexError on char_list
    if (fires[0] > kStartEndThreshold) list.push_back({"<sil>", 0.0, fires[0] * time_rate});
    for (size_t i = 0; i + 1 < fires.size(); ++i) {
      if (fires[i + 1] - fires[i] <= kMaxTokenDuration) {
        list.push_back({chars[i], fires[i] * time_rate, fires[i + 1] * time_rate});
      } else {
        const double split = fires[i] + kMaxTokenDuration;
        list.push_back({chars[i], fires[i] * time_rate, split * time_rate});
        list.push_back({"<sil>", split * time_rate, fires[i + 1] * time_rate});
      }
    }
    if (frames - fires.back() > kStartEndThreshold) {
      const double end = (frames + fires.back()) * 0.5;
      if (!list.empty()) list.back().end_s = end * time_rate;  // Python: IndexError if empty
      list.push_back({"<sil>", end * time_rate, frames * time_rate});
    } else if (!list.empty()) {
      list.back().end_s = frames * time_rate;
    }
  }
  if (options.vad_offset_ms != 0.0) {
    // Added to the stored (already rounded) products in a separate pass, as Python does; a
    // fused multiply-add of F * rate + offset would round differently (GCC contracts a*b+c
    // under -march=native even in ISO mode, so keep the product and the sum apart).
    const double offset_s = options.vad_offset_ms / 1000.0;
    for (auto& e : list) {
      e.start_s = e.start_s + offset_s;
      e.end_s = e.end_s + offset_s;
    }
  }
  for (const auto& e : list) {
    if (e.label == "<sil>") continue;
    // Python int(): truncation toward zero.
    out.token_spans.push_back(
        {static_cast<int64_t>(e.start_s * 1000), static_cast<int64_t>(e.end_s * 1000)});
  }
  return out;
}

std::string FormatTimestampEntries(const std::vector<TimestampEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    out += e.label;
    out += ' ';
    out += PythonFloatRepr(e.start_s + 0.0005).substr(0, 5);
    out += ' ';
    out += PythonFloatRepr(e.end_s + 0.0005).substr(0, 5);
    out += ';';
  }
  return out;
}

}  // namespace funasr::text
