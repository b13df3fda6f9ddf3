#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "core/threading.h"

namespace funasr {
namespace {

TEST(Threading, DefaultIsPositiveAndScopedRestores) {
  SetNumThreads(0);
  const int def = DefaultNumThreads();
  EXPECT_GE(def, 1);
  EXPECT_EQ(GetNumThreads(), def);
  {
    ScopedNumThreads a(3);
    EXPECT_EQ(GetNumThreads(), 3);
    {
      ScopedNumThreads b(1);
      EXPECT_EQ(GetNumThreads(), 1);
    }
    EXPECT_EQ(GetNumThreads(), 3);
    ScopedNumThreads c(-5);  // <= 0 means the default
    EXPECT_EQ(GetNumThreads(), def);
  }
  EXPECT_EQ(GetNumThreads(), def);
  SetNumThreads(2);
  EXPECT_EQ(GetNumThreads(), 2);
  SetNumThreads(0);
  EXPECT_EQ(GetNumThreads(), def);
}

TEST(Threading, SettingIsPerThread) {
  SetNumThreads(0);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 1; i <= 4; ++i) {
    threads.emplace_back([i, &failures] {
      ScopedNumThreads scoped(i);
      for (int k = 0; k < 1000; ++k) {
        if (GetNumThreads() != i) ++failures;
        std::this_thread::yield();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(GetNumThreads(), DefaultNumThreads());
}

}  // namespace
}  // namespace funasr
