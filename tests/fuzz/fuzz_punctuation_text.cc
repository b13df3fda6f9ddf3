// libFuzzer target: punctuation input text — everything the CT-Transformer punctuation does
// with a caller's text around the network (text/punctuation_words, text/token_index,
// text/punctuation_decoding): the word split of arbitrary bytes, the vocabulary lookup in
// the tiny model's 272,727-entry-format token list, the offline windowed decoding and the
// realtime cache over pieces. The network is replaced by a classifier whose predictions are
// also taken from the input (so the fuzzer steers the worst cases: a model that never ends
// a sentence, commas everywhere, class ids at the edges). Invalid UTF-8 must be a
// funasr::Error; everything else a result with one class per word.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "funasr/error.h"
#include "io/token_list.h"
#include "text/punctuation_decoding.h"
#include "text/punctuation_words.h"
#include "text/token_index.h"

namespace {

using namespace funasr::text;

struct Fixture {
  TokenIndex vocab;
  int32_t unk = 0;
  PunctuationClasses classes;
};

const Fixture& Fix() {
  static const Fixture f = [] {
    const std::string path =
        std::string(FUNASR_FUZZ_DATA_DIR) + "/reference/models/ct-punc-tiny/tokens.json";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    Fixture out;
    out.vocab = TokenIndex::Build(funasr::io::ParseTokensJson(ss.str(), path), path);
    out.unk = static_cast<int32_t>(out.vocab.Find("<unk>"));
    // The released ct-punc punc_list and sentence_end_id.
    out.classes = PunctuationClasses({"<unk>", "_", "，", "。", "？", "、"}, 3, "config.yaml");
    return out;
  }();
  return f;
}

std::vector<int32_t> Ids(const std::vector<std::string>& words) {
  std::vector<int32_t> ids;
  for (const std::string& w : words) {
    const int64_t id = Fix().vocab.Find(w);
    ids.push_back(id < 0 ? Fix().unk : static_cast<int32_t>(id));
  }
  return ids;
}

// Predictions steered by the input: class = f(mode, word id, position).
WindowClassifier Classifier(uint8_t mode, uint8_t salt) {
  return [mode, salt](const std::vector<int32_t>& ids, int64_t vad_index) {
    if (vad_index < 0) __builtin_trap();  // the cached-word count (may exceed the window)
    std::vector<int> out(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      switch (mode % 4) {
        case 0: out[i] = 1; break;                                  // never any punctuation
        case 1: out[i] = 2; break;                                  // commas only
        case 2: out[i] = static_cast<int>((ids[i] * 31 + i + salt) % 6); break;
        default: out[i] = (i + salt) % 7 == 0 ? 3 : 1; break;       // a sentence now and then
      }
    }
    return out;
  };
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Fix();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  PunctuationDecodingOptions options;
  options.split_size = 2 + data[0] % 20;
  options.max_window_tokens = data[0] & 0x80 ? options.split_size + 1 + data[1] % 40 : 1000;
  options.comma_cut_tokens = 20 + data[1] % 200;
  const WindowClassifier classify = Classifier(data[2], data[1]);
  const std::string_view text(reinterpret_cast<const char*>(data + 3), size - 3);

  // Offline: the whole text.
  try {
    const std::vector<std::string> words = SplitPunctuationWords(text);
    const DecodedPunctuation d = DecodeOffline(words, Ids(words), Fix().classes, options, classify);
    if (d.punc_ids.size() != words.size()) __builtin_trap();
    if (words.empty() && !d.text.empty()) __builtin_trap();
    for (int c : d.punc_ids)
      if (c < 0 || c >= Fix().classes.size()) __builtin_trap();
  } catch (const funasr::Error&) {
  }

  // Realtime: the text in pieces separated by '\n', the cache carried between them as
  // CtPunctuationModel::StreamStep does.
  std::vector<std::string> pre_text;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view piece = text.substr(begin, end - begin);
    begin = end + 1;
    try {
      if (SplitPunctuationWords(piece).empty()) continue;
      std::string joined;
      for (const std::string& w : pre_text) joined += w;
      joined += ' ';
      joined += piece;
      const std::vector<std::string> words = SplitPunctuationWords(joined);
      std::vector<std::string> next = pre_text;
      DecodeStreamingStep(next, words, Ids(words), Fix().classes, options, classify);
      // The cache never holds more than one bounded window.
      if (options.max_window_tokens > 0 &&
          next.size() > static_cast<size_t>(options.max_window_tokens) + words.size())
        __builtin_trap();
      pre_text.swap(next);
    } catch (const funasr::Error&) {
    }
  }
  return 0;
}
