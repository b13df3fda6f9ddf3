// Dynamic batching of speech segments by a duration budget (AutoModel.inference_with_vad,
// spec paraformer-pipeline.md §11.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "funasr/pipeline.h"

namespace funasr::pipeline {

// Indices of `spans` in AutoModel's processing order: ascending duration (end - start),
// ties kept in original order (Python's stable sort).
std::vector<size_t> SortByDuration(const std::vector<TimeSpanMs>& spans);

// Groups durations that are already in ascending order into consecutive batches
// [begin, end). Walking the list, segment j joins the open batch; the batch stays open iff
// j is not the last segment, its duration is below `threshold_ms`, and
// max(longest so far, dur_j) x (batch size incl. j) < budget, where the budget is
// max(budget_ms, shortest duration). budget_ms <= 0 puts every segment alone (AutoModel on
// CPU). As in AutoModel, the "longest so far" of a new batch starts at the duration of the
// segment that closed the previous one.
struct BatchRange {
  size_t begin = 0;
  size_t end = 0;
};
std::vector<BatchRange> PlanBatches(const std::vector<int64_t>& sorted_durations_ms,
                                    double budget_ms, double threshold_ms);

}  // namespace funasr::pipeline
