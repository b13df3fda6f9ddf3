// libFuzzer target: am.mvn (Kaldi nnet1 text) parsing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "funasr/error.h"
#include "io/cmvn_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    funasr::io::ParseCmvn(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.mvn");
  } catch (const funasr::Error&) {
  }
  return 0;
}
