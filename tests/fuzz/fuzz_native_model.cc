// libFuzzer target: native model files (header, index, sections, tensor ranges).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "funasr/error.h"
#include "io/native_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The loader expects the file image at a 64-byte aligned address, as mmap gives it.
  size_t rounded = (size + 63) / 64 * 64 + 64;
  std::shared_ptr<void> buf(std::aligned_alloc(64, rounded), std::free);
  if (size) std::memcpy(buf.get(), data, size);
  try {
    auto m = funasr::io::LoadNativeModel(buf.get(), size, buf, "fuzz.fnm");
    volatile float sink = 0;
    for (const auto& name : m->TensorNames()) {
      funasr::Tensor t = m->GetTensor(name);
      const auto* p = static_cast<const uint8_t*>(t.raw_data());
      for (size_t i = 0; i < t.nbytes(); ++i) sink = sink + p[i];
      funasr::Tensor q, s;
      if (m->GetInt8(name, &q, &s) && q.rank() == 2)
        m->GetLinear(name.substr(0, name.size() > 7 ? name.size() - 7 : 0), q.dim(0), q.dim(1), false);
    }
    for (const auto& tok : m->tokens()) sink = sink + static_cast<float>(tok.size());
    m->model_class();
  } catch (const funasr::Error&) {
  }
  return 0;
}
