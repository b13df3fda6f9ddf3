// libFuzzer target: a whole PyTorch zip checkpoint (libzip + pickle + storage geometry).
#include <cstddef>
#include <cstdint>

#include "funasr/error.h"
#include "io/torch_checkpoint.h"
#include "io/zip_archive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto zip = funasr::io::ZipArchive::OpenBuffer(data, size, "fuzz.pt");
    auto tensors = funasr::io::LoadTorchCheckpoint(zip);
    // Touch every element so that a wrong bound shows up under ASan.
    volatile uint8_t sink = 0;
    for (const auto& t : tensors) {
      const auto* p = static_cast<const uint8_t*>(t.tensor.raw_data());
      for (size_t i = 0; i < t.tensor.nbytes(); ++i) sink ^= p[i];
    }
  } catch (const funasr::Error&) {
  }
  return 0;
}
