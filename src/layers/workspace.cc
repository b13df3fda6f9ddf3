#include "layers/workspace.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include "core/check.h"

namespace funasr::layers {

namespace {
constexpr size_t kAlignFloats = 16;  // 64 bytes
constexpr size_t kMinBlockFloats = size_t{1} << 18;  // 1 MiB

size_t RoundUp(size_t n) { return (n + kAlignFloats - 1) / kAlignFloats * kAlignFloats; }
}  // namespace

float* Workspace::Floats(int64_t n) {
  FUNASR_ASSERT(n >= 0);
  const size_t need = RoundUp(std::max<size_t>(static_cast<size_t>(n), 1));
  while (block_ < blocks_.size()) {
    if (offset_ + need <= blocks_[block_].size) {
      float* p = blocks_[block_].data.get() + offset_;
      offset_ += need;
      return p;
    }
    ++block_;
    offset_ = 0;
    overflowed_ = true;
  }
  size_t total = 0;
  for (const Block& b : blocks_) total += b.size;
  Block b;
  b.size = std::max({need, total, kMinBlockFloats});
  void* mem = std::aligned_alloc(64, b.size * sizeof(float));
  if (mem == nullptr) throw std::bad_alloc();
  b.data = std::unique_ptr<float, void (*)(void*)>(static_cast<float*>(mem), std::free);
  if (!blocks_.empty()) overflowed_ = true;
  blocks_.push_back(std::move(b));
  block_ = blocks_.size() - 1;
  offset_ = need;
  return blocks_[block_].data.get();
}

float* Workspace::Zeros(int64_t n) {
  float* p = Floats(n);
  std::memset(p, 0, static_cast<size_t>(n) * sizeof(float));
  return p;
}

// Once nothing is in use, several blocks are merged into one so that the next request of
// the same size is served from a single block.
void Workspace::Consolidate() {
  if (blocks_.size() <= 1 || !overflowed_) {
    overflowed_ = false;
    return;
  }
  size_t total = 0;
  for (const Block& b : blocks_) total += b.size;
  blocks_.clear();
  Block b;
  b.size = RoundUp(total);
  void* mem = std::aligned_alloc(64, b.size * sizeof(float));
  if (mem == nullptr) throw std::bad_alloc();
  b.data = std::unique_ptr<float, void (*)(void*)>(static_cast<float*>(mem), std::free);
  blocks_.push_back(std::move(b));
  block_ = 0;
  offset_ = 0;
  overflowed_ = false;
}

size_t Workspace::capacity_bytes() const {
  size_t total = 0;
  for (const Block& b : blocks_) total += b.size * sizeof(float);
  return total;
}

Workspace::Scope::Scope(Workspace& ws)
    : ws_(ws), block_(ws.block_), offset_(ws.offset_), outermost_(ws.depth_ == 0) {
  ++ws_.depth_;
}

Workspace::Scope::~Scope() {
  --ws_.depth_;
  ws_.block_ = block_;
  ws_.offset_ = offset_;
  if (outermost_) {
    ws_.block_ = 0;
    ws_.offset_ = 0;
    ws_.Consolidate();
  }
}

}  // namespace funasr::layers
