#include "pipeline/batch_planner.h"

#include <algorithm>
#include <numeric>

namespace funasr::pipeline {

std::vector<size_t> SortByDuration(const std::vector<TimeSpanMs>& spans) {
  std::vector<size_t> order(spans.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return spans[a].end - spans[a].start < spans[b].end - spans[b].start;
  });
  return order;
}

std::vector<BatchRange> PlanBatches(const std::vector<int64_t>& durations, double budget_ms,
                                    double threshold_ms) {
  std::vector<BatchRange> batches;
  const size_t n = durations.size();
  if (n == 0) return batches;
  // AutoModel: batch_size = max(batch_size, shortest); on CPU it is forced to 0 instead.
  double budget = budget_ms <= 0 ? 0.0 : std::max(budget_ms, static_cast<double>(durations[0]));
  size_t begin = 0;
  size_t end = 1;
  int64_t max_len = 0;
  for (size_t j = 0; j < n; ++j) {
    const int64_t len = durations[j];
    const double potential = static_cast<double>(std::max(max_len, len)) *
                             static_cast<double>(j + 1 - begin);
    if (j + 1 < n && static_cast<double>(len) < threshold_ms && potential < budget) {
      max_len = std::max(max_len, len);
      ++end;
      continue;
    }
    batches.push_back({begin, end});
    begin = end;
    ++end;
    max_len = len;
  }
  return batches;
}

}  // namespace funasr::pipeline
