// detail::AllocateWeightMemory: the huge-page-backed store of prepacked weights.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kernels/weight_arena.h"

namespace {

using funasr::kernels::detail::AllocateWeightMemory;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

struct Block {
  std::shared_ptr<void> mem;
  size_t bytes = 0;
  unsigned char tag = 0;
};

// Fills a block with its tag after checking it arrived zeroed and aligned.
void Claim(const Block& b) {
  auto* p = static_cast<unsigned char*>(b.mem.get());
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u) << b.bytes << " bytes";
  for (size_t i = 0; i < b.bytes; ++i) {
    ASSERT_EQ(p[i], 0) << "byte " << i << " of a fresh " << b.bytes << "-byte block";
  }
  std::memset(p, b.tag, b.bytes);
}

// Every byte still holds the block's tag: no other block overlapped it.
void ExpectIntact(const Block& b) {
  const auto* p = static_cast<const unsigned char*>(b.mem.get());
  for (size_t i = 0; i < b.bytes; ++i) {
    ASSERT_EQ(p[i], b.tag) << "byte " << i << " of a " << b.bytes << "-byte block";
  }
}

TEST(WeightArena, BlocksAreAlignedZeroedAndDisjoint) {
  const size_t sizes[] = {0, 1, 63, 64, 65, 4097, size_t{1} << 20, 3 << 20, 7};
  std::vector<Block> blocks;
  unsigned char tag = 1;
  for (size_t s : sizes) {
    blocks.push_back({AllocateWeightMemory(s), s, tag++});
    Claim(blocks.back());
  }
  for (const Block& b : blocks) ExpectIntact(b);
}

// A block larger than a slab gets a slab of its own; blocks of an earlier slab stay valid
// when the arena moves on and when other blocks are released.
TEST(WeightArena, BlocksOutliveTheArenaMovingOn) {
  Block small{AllocateWeightMemory(1000), 1000, 0x11};
  Claim(small);
  {
    Block big{AllocateWeightMemory(size_t{40} << 20), size_t{40} << 20, 0x22};
    Claim(big);
    Block after{AllocateWeightMemory(5000), 5000, 0x33};
    Claim(after);
    ExpectIntact(big);
  }
  Block again{AllocateWeightMemory(2000), 2000, 0x44};
  Claim(again);
  ExpectIntact(small);
}

// Model loading may prepare layers on several threads at once.
TEST(WeightArena, ConcurrentThreadsGetDisjointBlocks) {
  constexpr int kThreads = 4, kPerThread = 64;
  std::vector<std::vector<Block>> blocks(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &blocks] {
      for (int i = 0; i < kPerThread; ++i) {
        const size_t bytes = 1 + static_cast<size_t>((t * 7919 + i * 104729) % 70000);
        blocks[t].push_back({AllocateWeightMemory(bytes), bytes,
                             static_cast<unsigned char>(1 + t * kPerThread + i)});
        Claim(blocks[t].back());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& per_thread : blocks) {
    for (const Block& b : per_thread) ExpectIntact(b);
  }
}

double VmSizeMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmSize:", 0) == 0) return std::stod(line.substr(7)) / 1024.0;
  }
  return 0;
}

// Once every block of a slab is gone the slab is freed: loading and unloading models does
// not pile up memory.
TEST(WeightArena, ReleasedSlabsGoBackToTheSystem) {
  if (kSanitized) GTEST_SKIP() << "the sanitizer allocator keeps freed memory";
  const double before = VmSizeMb();
  for (int round = 0; round < 2; ++round) {
    std::vector<std::shared_ptr<void>> blocks;
    for (int i = 0; i < 6; ++i) blocks.push_back(AllocateWeightMemory(size_t{20} << 20));
    // The last slab is also the one the arena is filling: it must go too.
    blocks.push_back(AllocateWeightMemory(size_t{200} << 20));
    EXPECT_GE(VmSizeMb() - before, 300.0) << "round " << round;
  }
  EXPECT_LT(VmSizeMb() - before, 16.0);
}

}  // namespace
