// libFuzzer target: tokens.json, tokens.txt and seg_dict parsing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "funasr/error.h"
#include "io/seg_dict.h"
#include "io/token_list.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    funasr::io::ParseTokensJson(text, "fuzz.json");
  } catch (const funasr::Error&) {
  }
  try {
    funasr::io::ParseTokensTxt(text, "fuzz.txt");
  } catch (const funasr::Error&) {
  }
  try {
    funasr::io::ParseSegDict(text, "fuzz_seg_dict");
  } catch (const funasr::Error&) {
  }
  return 0;
}
