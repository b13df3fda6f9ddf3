#include "models/paraformer/prepared_hotwords.h"

#include <atomic>

namespace funasr::models {

uint64_t NewModelInstanceId() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace funasr::models
