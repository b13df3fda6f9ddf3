// ToAutoModelJson: the result as AutoModel.generate's dict for one input.
#include <nlohmann/json.hpp>

#include "funasr/pipeline.h"

namespace funasr {
namespace {

nlohmann::ordered_json Spans(const std::vector<TimeSpanMs>& spans) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& s : spans) a.push_back({s.start, s.end});
  return a;
}

}  // namespace

std::string ToAutoModelJson(const TranscriptionResult& r, int indent) {
  nlohmann::ordered_json j;
  j["key"] = r.key;
  if (!r.has_asr) {
    j["value"] = Spans(r.vad_segments);  // VAD-only AutoModel result
  } else {
    j["text"] = r.text;
    if (r.has_timestamps) j["timestamp"] = Spans(r.timestamps);
    if (!r.punc_array.empty()) j["punc_array"] = r.punc_array;
    if (!r.sentences.empty()) {
      nlohmann::ordered_json sentences = nlohmann::ordered_json::array();
      for (const auto& s : r.sentences) {
        nlohmann::ordered_json o;
        o["text"] = s.text;
        o["start"] = s.start_ms;
        o["end"] = s.end_ms;
        o["timestamp"] = Spans(s.timestamps);
        sentences.push_back(std::move(o));
      }
      j["sentence_info"] = std::move(sentences);
    }
  }
  // Invalid UTF-8 (never produced by the models) is replaced rather than thrown.
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace funasr
