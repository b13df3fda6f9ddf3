#include "core/threading.h"

#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>

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

}  // namespace

int DefaultNumThreads() {
  static const int n = CountPhysicalCores();
  return n;
}

int GetNumThreads() { return t_num_threads > 0 ? t_num_threads : DefaultNumThreads(); }

void SetNumThreads(int n) { t_num_threads = n > 0 ? n : 0; }

ScopedNumThreads::ScopedNumThreads(int n) : saved_(t_num_threads) { SetNumThreads(n); }
ScopedNumThreads::~ScopedNumThreads() { t_num_threads = saved_; }

}  // namespace funasr
