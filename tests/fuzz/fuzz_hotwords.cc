// libFuzzer target: hotword strings and hotword files (text/hotword_list: FunASR's
// generate_hotwords_list) tokenised with a real vocabulary and seg_dict (the 8404-token
// Paraformer vocabulary of the tiny SeACo model). The first byte picks the form: the
// whitespace-separated string or the lines of a file. Every input is a hotword list within
// the limits or a funasr::Error; every id is a valid token id.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "funasr/error.h"
#include "io/seg_dict.h"
#include "io/token_list.h"
#include "text/hotword_list.h"
#include "text/token_list.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Vocabulary {
  std::unique_ptr<funasr::text::TokenList> tokens;
  funasr::io::SegDict seg_dict;
};

const Vocabulary& Vocab() {
  static const Vocabulary v = [] {
    const std::string dir = std::string(FUNASR_FUZZ_DATA_DIR) + "/reference/models/seaco-paraformer-tiny/";
    Vocabulary out;
    out.tokens = std::make_unique<funasr::text::TokenList>(
        funasr::io::ParseTokensJson(ReadFile(dir + "tokens.json"), "tokens.json"));
    out.seg_dict = funasr::io::ParseSegDict(ReadFile(dir + "seg_dict"), "seg_dict");
    return out;
  }();
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Vocab();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool as_file = data[0] & 1;
  const bool with_seg_dict = data[0] & 2;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const Vocabulary& v = Vocab();
  funasr::text::HotwordLimits limits;
  limits.max_hotwords = 2000;
  limits.max_tokens_per_hotword = 64;
  try {
    const auto specs = as_file ? funasr::text::ParseHotwordLines(text, "fuzz.txt")
                               : funasr::text::ParseHotwordString(text);
    const funasr::text::HotwordList list = funasr::text::BuildHotwordList(
        specs, *v.tokens, with_seg_dict ? &v.seg_dict : nullptr, {}, limits);
    if (list.ids.empty() || list.ids.back() != std::vector<int64_t>{1}) __builtin_trap();
    if (list.ids.size() > limits.max_hotwords + 1) __builtin_trap();
    for (const auto& ids : list.ids) {
      if (ids.empty() || ids.size() > limits.max_tokens_per_hotword) __builtin_trap();
      for (int64_t id : ids)
        if (id < 0 || id >= static_cast<int64_t>(v.tokens->size())) __builtin_trap();
    }
  } catch (const funasr::Error&) {
  }
  return 0;
}
