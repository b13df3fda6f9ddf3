#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
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

namespace funasr {
namespace {

TEST(ParallelFor, RunsEveryIndexOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3, 8}) {
    for (int64_t n : {0, 1, 2, 7, 1000}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
      std::atomic<int> nested_threads{0};
      ParallelFor(n, threads, [&](int64_t i) {
        ++hits[static_cast<size_t>(i)];
        nested_threads = std::max(nested_threads.load(), GetNumThreads());
      });
      for (int64_t i = 0; i < n; ++i) EXPECT_EQ(hits[static_cast<size_t>(i)].load(), 1);
      if (n > 0 && threads > 1) EXPECT_EQ(nested_threads.load(), 1);
    }
  }
}

// Threads that ran ParallelFor(2, 2, ...) whose two tasks wait for each other: a helper
// must run one of them, or this returns 1 after a 5 s timeout.
size_t ThreadsMeetingInTwoTasks() {
  std::atomic<int> arrived{0};
  std::set<std::thread::id> ids;
  std::mutex mu;
  ParallelFor(2, 2, [&](int64_t) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(std::this_thread::get_id());
    }
    ++arrived;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (arrived.load() < 2 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
  });
  return ids.size();
}

TEST(ParallelFor, UsesHelperThreads) { EXPECT_EQ(ThreadsMeetingInTwoTasks(), 2u); }

TEST(ParallelFor, NestedCallsRunInline) {
  std::atomic<int> total{0};
  ParallelFor(4, 2, [&](int64_t) {
    ParallelFor(3, 2, [&](int64_t) { ++total; });
  });
  EXPECT_EQ(total.load(), 12);
}

TEST(ParallelFor, PropagatesTheFirstException) {
  std::atomic<int> ran{0};
  EXPECT_THROW(ParallelFor(100, 2,
                           [&](int64_t i) {
                             ++ran;
                             if (i == 3) throw std::runtime_error("boom");
                           }),
               std::runtime_error);
  EXPECT_LE(ran.load(), 100);
  // The pool is still usable afterwards.
  std::atomic<int> after{0};
  ParallelFor(10, 2, [&](int64_t) { ++after; });
  EXPECT_EQ(after.load(), 10);
}

TEST(ParallelFor, ConcurrentCallers) {
  std::vector<std::thread> callers;
  std::atomic<int64_t> sum{0};
  for (int t = 0; t < 6; ++t) {
    callers.emplace_back([&] {
      for (int rep = 0; rep < 50; ++rep) ParallelFor(17, 2, [&](int64_t i) { sum += i; });
    });
  }
  for (auto& c : callers) c.join();
  EXPECT_EQ(sum.load(), 6 * 50 * (16 * 17 / 2));
}

// Helpers poll for a short window after a job and then block; callers poll for their
// helpers, then block. Gaps around that window (shorter, equal, longer) exercise every hand-
// over between polling and blocking: a lost wake-up would hang here (ctest timeout), a
// missed index would break the sums, and a helper must still join after it slept.
TEST(ParallelFor, WakesHelpersAfterIdleGapsOfAnyLength) {
  int64_t expected = 0, sum = 0;
  std::atomic<int64_t> total{0};
  for (int rep = 0; rep < 300; ++rep) {
    const int gap_us = (rep * 37) % 450;  // 0..449 us, around the 200 us default window
    std::this_thread::sleep_for(std::chrono::microseconds(gap_us));
    const int64_t n = 1 + rep % 7;
    ParallelFor(n, 2, [&](int64_t i) { total += i + 1; });
    expected += n * (n + 1) / 2;
  }
  sum = total.load();
  EXPECT_EQ(sum, expected);
  // After a long idle period (helpers blocked), a job that needs two threads still gets them.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(ThreadsMeetingInTwoTasks(), 2u);
}

// A caller whose helpers finish last must be woken (not only find the count when polling):
// the helper's index outlasts the caller's polling window.
TEST(ParallelFor, CallerWokenWhenHelperFinishesLate) {
  for (int rep = 0; rep < 5; ++rep) {
    std::atomic<int> done{0};
    const std::thread::id caller = std::this_thread::get_id();
    ParallelFor(2, 2, [&](int64_t) {
      if (std::this_thread::get_id() != caller) {
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
      }
      ++done;
    });
    EXPECT_EQ(done.load(), 2);
  }
}


// At exit the pool stops and joins its workers (before the shared libraries' destructors:
// LLVM's OpenMP runtime aborted when it found a worker still registered). A process that
// used the pool, with helpers polling or blocked, exits cleanly with its own code.
TEST(ParallelForDeathTest, ProcessExitsCleanlyWithHelpersAlive) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (int idle_ms : {0, 5}) {
    EXPECT_EXIT(
        {
          std::atomic<int64_t> sum{0};
          for (int rep = 0; rep < 20; ++rep) ParallelFor(8, 4, [&](int64_t i) { sum += i; });
          std::this_thread::sleep_for(std::chrono::milliseconds(idle_ms));
          std::exit(sum.load() == 20 * 28 ? 7 : 1);
        },
        ::testing::ExitedWithCode(7), "")
        << "idle " << idle_ms << " ms before exit";
  }
}

}  // namespace
}  // namespace funasr
