#include "kernels/weight_arena.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <new>

namespace funasr::kernels::detail {

namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kSlabBytes = size_t{32} << 20;  // small layers share one slab
constexpr size_t kAlignment = 64;                // what oneDNN wants for its buffers

// Memory straight from mmap: zero-filled by the kernel (no memset pass over hundreds of MB
// at load), and returned to the system by munmap when the slab is freed whatever the
// malloc tuning of the host application.
struct Slab {
  char* base = nullptr;
  size_t size = 0;
  size_t used = 0;  // guarded by the arena mutex
  ~Slab() {
    if (base != nullptr) munmap(base, size);
  }
};

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

std::shared_ptr<Slab> NewSlab(size_t bytes) {
  auto slab = std::make_shared<Slab>();  // owns the mapping as soon as it exists
  const size_t size = RoundUp(std::max(bytes, kSlabBytes), kHugePage);
  // Map one huge page more than needed and unmap the ends, so the slab starts on a 2 MB
  // boundary (a huge page can only back a 2 MB-aligned range).
  const size_t mapped = size + kHugePage;
  void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  char* start = static_cast<char*>(raw);
  char* base = reinterpret_cast<char*>(RoundUp(reinterpret_cast<uintptr_t>(start), kHugePage));
  const size_t head = static_cast<size_t>(base - start);
  if (head > 0) munmap(start, head);
  if (mapped - head - size > 0) munmap(base + size, mapped - head - size);
  slab->base = base;
  slab->size = size;
#ifdef MADV_HUGEPAGE
  // Advice only: failure (THP compiled out or disabled) leaves ordinary pages.
  (void)madvise(base, size, MADV_HUGEPAGE);
#endif
  return slab;
}

std::atomic<size_t> allocated_bytes{0};

}  // namespace

size_t AllocatedWeightBytes() { return allocated_bytes.load(); }

std::shared_ptr<void> AllocateWeightMemory(size_t bytes) {
  static std::mutex mu;
  // The slab being filled. Only a weak reference: once every block of it is released the
  // slab is freed, and the next allocation starts a new one.
  static std::weak_ptr<Slab> current;
  const size_t rounded = RoundUp(std::max<size_t>(bytes, 1), kAlignment);
  std::shared_ptr<Slab> slab;
  char* p = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu);
    slab = current.lock();
    if (!slab || slab->size - slab->used < rounded) {
      slab = NewSlab(rounded);
      current = slab;
    }
    p = slab->base + slab->used;
    slab->used += rounded;
  }
  allocated_bytes += rounded;
  return std::shared_ptr<void>(slab, p);  // shares ownership of the slab
}

}  // namespace funasr::kernels::detail
