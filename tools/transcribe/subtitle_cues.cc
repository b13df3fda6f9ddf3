// Subtitle cues from sentences: readable lengths, strictly positive durations, no overlap
// (the failure modes users report for FunASR's SRT: one giant cue, zero-length cues).
#include <algorithm>
#include <cstdio>
#include <limits>

#include "formats.h"

namespace funasr::cli {
namespace {

// A display unit of a sentence: one CJK (non-ASCII) character or one ASCII word, with the
// punctuation that follows it.
struct Unit {
  std::string text;
  bool space_before = false;
  bool is_punctuation = false;  // only punctuation (no timestamp of its own)
  size_t width = 0;             // display columns
};

size_t Utf8Length(unsigned char lead) {
  return lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
}

bool IsPunctuation(const std::string& ch) {
  static const char* const kPunc[] = {"，", "。", "？", "、", "！", "；", "：", ",", ".", "?",
                                      "!", ";", ":"};
  for (const char* p : kPunc) {
    if (ch == p) return true;
  }
  return false;
}

std::vector<Unit> SplitUnits(const std::string& text) {
  std::vector<Unit> units;
  bool space = false;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead == ' ' || lead == '\t' || lead == '\n' || lead == '\r') {
      space = true;
      ++i;
      continue;
    }
    const size_t len = std::min(Utf8Length(lead), text.size() - i);
    std::string ch = text.substr(i, len);
    if (IsPunctuation(ch) && !units.empty() && !space) {
      units.back().text += ch;
      units.back().width += len > 1 ? 2 : 1;
      i += len;
      continue;
    }
    Unit u;
    u.space_before = space && !units.empty();
    space = false;
    if (lead < 0x80) {  // an ASCII word: up to the next space or non-ASCII character
      size_t j = i;
      while (j < text.size() && static_cast<unsigned char>(text[j]) < 0x80 && text[j] != ' ' &&
             text[j] != '\t' && text[j] != '\n' && text[j] != '\r') {
        ++j;
      }
      u.text = text.substr(i, j - i);
      u.width = j - i;
      i = j;
    } else {
      u.text = ch;
      u.width = 2;
      i += len;
    }
    u.is_punctuation = IsPunctuation(u.text);
    units.push_back(std::move(u));
  }
  return units;
}

// Start/end of every unit: the sentence's token timestamps when there is one per word unit,
// else a linear spread over the sentence.
void UnitTimes(const SentenceInfo& s, const std::vector<Unit>& units, std::vector<int64_t>& start,
               std::vector<int64_t>& end) {
  size_t words = 0;
  for (const auto& u : units) words += u.is_punctuation ? 0 : 1;
  start.assign(units.size(), s.start_ms);
  end.assign(units.size(), s.end_ms);
  if (words == s.timestamps.size() && words > 0) {
    size_t k = 0;
    for (size_t i = 0; i < units.size(); ++i) {
      const size_t t = units[i].is_punctuation ? (k > 0 ? k - 1 : 0) : k++;
      start[i] = s.timestamps[t].start;
      end[i] = s.timestamps[t].end;
    }
    return;
  }
  const double span = static_cast<double>(s.end_ms - s.start_ms);
  const double n = static_cast<double>(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    start[i] = s.start_ms + static_cast<int64_t>(span * static_cast<double>(i) / n);
    end[i] = s.start_ms + static_cast<int64_t>(span * static_cast<double>(i + 1) / n);
  }
}

}  // namespace

std::string CueClock(int64_t ms, char millis_separator) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld%c%03lld", static_cast<long long>(ms / 3600000),
                static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
                millis_separator, static_cast<long long>(ms % 1000));
  return buf;
}

std::vector<Cue> BuildCues(const TranscriptionResult& result, const CueOptions& options) {
  std::vector<Cue> cues;
  for (const auto& sentence : result.sentences) {
    const std::vector<Unit> units = SplitUnits(sentence.text);
    if (units.empty()) continue;
    std::vector<int64_t> start, end;
    UnitTimes(sentence, units, start, end);
    Cue cue;
    size_t width = 0;
    bool open = false;
    for (size_t i = 0; i < units.size(); ++i) {
      const Unit& u = units[i];
      const bool too_long = open && !u.is_punctuation &&
                            (width + u.width > options.max_cue_chars ||
                             end[i] - cue.start_ms > options.max_cue_ms);
      if (too_long) {
        cues.push_back(cue);
        open = false;
      }
      if (!open) {
        cue = Cue{start[i], end[i], u.text};
        width = u.width;
        open = true;
        continue;
      }
      cue.text += (u.space_before ? " " : "") + u.text;
      cue.end_ms = std::max(cue.end_ms, end[i]);
      width += u.width + (u.space_before ? 1 : 0);
    }
    if (open) cues.push_back(cue);
  }
  // Order, no overlap, strictly positive and (where room allows) readable durations.
  std::stable_sort(cues.begin(), cues.end(),
                   [](const Cue& a, const Cue& b) { return a.start_ms < b.start_ms; });
  for (size_t i = 0; i < cues.size(); ++i) {
    Cue& c = cues[i];
    if (i > 0) c.start_ms = std::max(c.start_ms, cues[i - 1].end_ms);
    const int64_t limit = i + 1 < cues.size() ? std::max(cues[i + 1].start_ms, c.start_ms + 1)
                                              : std::numeric_limits<int64_t>::max();
    c.end_ms = std::min(std::max(c.end_ms, c.start_ms + options.min_cue_ms), limit);
    c.end_ms = std::max(c.end_ms, c.start_ms + 1);
  }
  return cues;
}

}  // namespace funasr::cli
