// libFuzzer target: the state-dict pickle interpreter alone (data.pkl bytes).
#include <cstddef>
#include <cstdint>

#include "funasr/error.h"
#include "io/torch_pickle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    funasr::io::ParseTorchStateDictPickle(data, size, "fuzz.pkl");
  } catch (const funasr::Error&) {
  }
  return 0;
}
