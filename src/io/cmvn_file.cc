#include "io/cmvn_file.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "core/check.h"
#include "io/token_list.h"

namespace funasr::io {
namespace {

std::vector<std::string_view> SplitSpace(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool ParseFloat(std::string_view s, float* out) {
  if (s.empty() || s.size() > 64) return false;
  char buf[65];
  s.copy(buf, s.size());
  buf[s.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  float v = std::strtof(buf, &end);
  if (end != buf + s.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

}  // namespace

Cmvn ParseCmvn(std::string_view text, const std::string& file) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  Cmvn cmvn;
  bool have_shift = false, have_scale = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string_view> head = SplitSpace(lines[i]);
    if (head.empty() || (head[0] != "<AddShift>" && head[0] != "<Rescale>")) continue;
    std::string tag(head[0]);
    bool shift = head[0] == "<AddShift>";
    FUNASR_CHECK(!(shift ? have_shift : have_scale), ErrorCode::kFormatError, file, ": ", tag,
                 " appears twice");
    FUNASR_CHECK(i + 1 < lines.size(), ErrorCode::kFormatError, file, ": ", tag,
                 " is not followed by a <LearnRateCoef> line");
    std::vector<std::string_view> t = SplitSpace(lines[i + 1]);
    // "<LearnRateCoef> 0 [ v0 v1 ... ]": values are tokens [3, n-1).
    FUNASR_CHECK(t.size() >= 4 && t[0] == "<LearnRateCoef>" && t[2] == "[" && t.back() == "]",
                 ErrorCode::kFormatError, file, ": line ", i + 2, ": expected '<LearnRateCoef> 0 [ ... ]' after ",
                 tag);
    std::vector<float>& dst = shift ? cmvn.shift : cmvn.scale;
    dst.reserve(t.size() - 4);
    for (size_t k = 3; k + 1 < t.size(); ++k) {
      float v;
      FUNASR_CHECK(ParseFloat(t[k], &v), ErrorCode::kFormatError, file, ": line ", i + 2, ": ",
                   tag, " value ", k - 3, " '", std::string(t[k].substr(0, 32)), "' is not a number");
      dst.push_back(v);
    }
    FUNASR_CHECK(!dst.empty(), ErrorCode::kFormatError, file, ": ", tag, " has no values");
    if (head.size() >= 2) {
      char* end = nullptr;
      std::string d(head[1].substr(0, 20));
      long declared = std::strtol(d.c_str(), &end, 10);
      FUNASR_CHECK(end != d.c_str() && *end == '\0' && declared == static_cast<long>(dst.size()),
                   ErrorCode::kFormatError, file, ": ", tag, " declares dimension '", d, "' but lists ",
                   dst.size(), " values");
    }
    (shift ? have_shift : have_scale) = true;
  }
  FUNASR_CHECK(have_shift, ErrorCode::kFormatError, file, ": no <AddShift> vector (not a Kaldi nnet1 am.mvn)");
  FUNASR_CHECK(have_scale, ErrorCode::kFormatError, file, ": no <Rescale> vector (not a Kaldi nnet1 am.mvn)");
  FUNASR_CHECK(cmvn.shift.size() == cmvn.scale.size(), ErrorCode::kFormatError, file,
               ": <AddShift> has ", cmvn.shift.size(), " values but <Rescale> has ", cmvn.scale.size());
  return cmvn;
}

Cmvn LoadCmvn(const std::string& path) { return ParseCmvn(ReadFileToString(path), path); }

}  // namespace funasr::io
