#include "core/threading.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace funasr {

namespace {

// Physical cores from /proc/cpuinfo ("physical id" x "core id" pairs); hyperthreads share
// a core's FMA units, so GEMM-bound work gains nothing from them.
int CountPhysicalCores() {
  std::ifstream in("/proc/cpuinfo");
  std::set<std::pair<std::string, std::string>> cores;
  std::string line, physical = "0";
  while (std::getline(in, line)) {
    auto value = [&]() {
      auto p = line.find(':');
      return p == std::string::npos ? std::string() : line.substr(p + 1);
    };
    if (line.rfind("physical id", 0) == 0) physical = value();
    if (line.rfind("core id", 0) == 0) cores.insert({physical, value()});
  }
  int n = static_cast<int>(cores.size());
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  return n > 0 ? n : 1;
}

thread_local int t_num_threads = 0;
thread_local bool t_pool_worker = false;

// How long an idle helper, and a caller waiting for its helpers, keep polling before they
// block in the kernel. A forward pass is hundreds of parallel steps separated by short
// serial ones (microseconds); waking a blocked thread costs a futex call and, on a VM, an
// inter-processor interrupt that takes tens of microseconds: paid twice per step, it ate
// most of the second core's gain (int8 Paraformer, 2 threads: 1.10x before polling). The
// window is short so that an oversubscribed machine loses little. Polling does not
// sched_yield(): that hands the core to any runnable process (even a nice-19 one) for a
// whole scheduler slice, milliseconds, which was measured to stall every step.
// FUNASR_SPIN_US overrides it (0 = always block).
int64_t SpinMicros() {
  static const int64_t us = [] {
    const char* env = std::getenv("FUNASR_SPIN_US");
    if (env != nullptr && *env != '\0') {
      char* end = nullptr;
      const long v = std::strtol(env, &end, 10);
      if (end != env && v >= 0) return static_cast<int64_t>(std::min(v, 1000000L));
    }
    return int64_t{200};
  }();
  return us;
}

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls ready() for up to SpinMicros(); true as soon as it holds.
template <typename Ready>
bool SpinUntil(Ready&& ready) {
  const int64_t budget = SpinMicros();
  if (budget <= 0) return ready();
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  for (;;) {
    for (int i = 0; i < 8; ++i) {  // a pause is ~40-140 cycles: a check every ~0.5 us
      if (ready()) return true;
      CpuRelax();
    }
    if (Clock::now() - start > std::chrono::microseconds(budget)) return ready();
  }
}

// One ParallelFor call: indices are claimed with an atomic counter by the caller and by
// any helper that picks the job up; the caller waits until every index is finished.
class Job {
 public:
  Job(int64_t n, const std::function<void(int64_t)>& fn) : n_(n), fn_(fn) {}

  // Runs unclaimed indices until none are left. fn_ is only touched for a claimed index
  // (< n_), and the caller does not return before all of those are finished, so the
  // caller's function object outlives every use.
  void Work() {
    for (;;) {
      const int64_t i = next_.fetch_add(1, std::memory_order_relaxed);
      if (i >= n_) return;
      if (!failed_.load(std::memory_order_relaxed)) {
        try {
          fn_(i);
        } catch (...) {
          std::lock_guard<std::mutex> lock(mu_);
          if (!error_) error_ = std::current_exception();
          failed_ = true;
        }
      }
      // seq_cst with the caller's sleeping_ store (Dekker): either the caller sees the
      // final count before it blocks, or this sees sleeping_ and wakes it.
      if (done_.fetch_add(1) + 1 == n_ && sleeping_.load()) {
        std::lock_guard<std::mutex> lock(mu_);
        cv_.notify_all();
      }
    }
  }

  void Wait() {
    if (SpinUntil([&] { return done_.load(std::memory_order_acquire) == n_; })) return;
    sleeping_.store(true);
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_.load() == n_; });
  }

  std::exception_ptr error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  const int64_t n_;
  const std::function<void(int64_t)>& fn_;
  std::atomic<int64_t> next_{0};
  std::atomic<int64_t> done_{0};
  std::atomic<bool> failed_{false};
  std::atomic<bool> sleeping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::exception_ptr error_;
};

// Process-wide helpers. An idle worker polls for new work for a short while, then blocks on
// a condition variable (no unbounded spinning); the pool grows on demand to the largest
// helper count requested. At exit (std::atexit, which runs before the shared libraries'
// destructors) the workers are stopped and joined: a thread still alive then could be
// running a task while the C++ and OpenMP runtimes shut down under it (LLVM's OpenMP runtime
// aborts when it finds such a thread). The pool object itself is never destroyed; a
// ParallelFor after that point runs on the calling thread alone.
class HelperPool {
 public:
  static HelperPool& Get() {
    static HelperPool* pool = [] {
      auto* p = new HelperPool();
      std::atexit([] { Get().Shutdown(); });
      return p;
    }();
    return *pool;
  }

  // False once the pool has shut down: the caller then does all the work itself.
  bool Submit(const std::shared_ptr<Job>& job, int helpers) {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    while (static_cast<int>(workers_.size()) < std::min(helpers, kMaxWorkers)) {
      workers_.emplace_back([this] { Loop(); });
    }
    for (int h = 0; h < helpers; ++h) queue_.push_back(job);
    queued_.store(static_cast<int64_t>(queue_.size()), std::memory_order_release);
    // Polling workers find the job by themselves; only blocked ones need the (costly) wake.
    if (sleepers_ > 0) {
      if (helpers == 1) cv_.notify_one(); else cv_.notify_all();
    }
    return true;
  }

 private:
  static constexpr int kMaxWorkers = 256;

  void Shutdown() {
    std::vector<std::thread> workers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      stop_.store(true, std::memory_order_release);
      workers.swap(workers_);
      cv_.notify_all();
    }
    // Queued jobs are finished first (their callers are waiting for them). exit() called
    // from inside a task runs this on a worker, which cannot join itself.
    for (std::thread& w : workers) {
      if (w.get_id() == std::this_thread::get_id()) w.detach(); else w.join();
    }
  }

  std::shared_ptr<Job> TryPop() {
    if (queued_.load(std::memory_order_acquire) == 0) return nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    return PopLocked();
  }

  std::shared_ptr<Job> PopLocked() {
    if (queue_.empty()) return nullptr;
    std::shared_ptr<Job> job = std::move(queue_.front());
    queue_.pop_front();
    queued_.store(static_cast<int64_t>(queue_.size()), std::memory_order_release);
    return job;
  }

  void Loop() {
    t_pool_worker = true;
    t_num_threads = 1;
    omp_set_num_threads(1);  // libraries called from fn (oneDNN) must not fork either
    for (;;) {
      std::shared_ptr<Job> job = TryPop();
      if (!job && SpinUntil([&] {
            return queued_.load(std::memory_order_acquire) > 0 ||
                   stop_.load(std::memory_order_acquire);
          })) {
        job = TryPop();
      }
      if (!job) {
        std::unique_lock<std::mutex> lock(mu_);
        ++sleepers_;
        cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
        --sleepers_;
        job = PopLocked();
        if (!job && stopping_) return;
      }
      if (job) job->Work();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Job>> queue_;
  std::atomic<int64_t> queued_{0};  // queue_.size(), readable without the mutex
  std::atomic<bool> stop_{false};   // stopping_, readable without the mutex
  int sleepers_ = 0;                // workers blocked on cv_ (guarded by mu_)
  bool stopping_ = false;           // guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace

int DefaultNumThreads() {
  static const int n = CountPhysicalCores();
  return n;
}

int GetNumThreads() { return t_num_threads > 0 ? t_num_threads : DefaultNumThreads(); }

void SetNumThreads(int n) { t_num_threads = n > 0 ? n : 0; }

ScopedNumThreads::ScopedNumThreads(int n) : saved_(t_num_threads) { SetNumThreads(n); }
ScopedNumThreads::~ScopedNumThreads() { t_num_threads = saved_; }

bool InParallelRegion() { return t_pool_worker || omp_in_parallel(); }

void ParallelFor(int64_t n, int threads, const std::function<void(int64_t)>& fn) {
  if (n <= 0) return;
  if (threads > n) threads = static_cast<int>(n);
  if (threads <= 1 || InParallelRegion()) {
    ScopedNumThreads single(1);
    for (int64_t i = 0; i < n; ++i) fn(i);
    return;
  }
  auto job = std::make_shared<Job>(n, fn);
  HelperPool::Get().Submit(job, threads - 1);  // after shutdown: no helpers, the caller does all
  {
    ScopedNumThreads single(1);
    job->Work();
  }
  job->Wait();
  if (auto error = job->error()) std::rethrow_exception(error);
}

}  // namespace funasr
