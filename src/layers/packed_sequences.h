// PackedSequences: several variable-length sequences stored back to back as the rows of one
// row-major [total_rows, dim] matrix, without padding.
//
// This is how every layer here takes a batch. Row-wise work (Linear, LayerNorm, FFN) runs
// once over all rows; work that mixes frames (attention, FSMN memory, convolutions, CIF)
// runs per sequence on its own rows only. It is the exact equivalent of a padded batch with
// FunASR's padding masks for the valid frames, minus FunASR's batch artefacts (padded rows
// that leak into the predictor, see paraformer-pipeline.md §14): a sequence's result does
// not depend on the other sequences of the batch.
#pragma once

#include <cstdint>
#include <vector>

#include "core/check.h"

namespace funasr::layers {

class PackedSequences {
 public:
  PackedSequences() = default;
  explicit PackedSequences(std::vector<int64_t> lengths) : lengths_(std::move(lengths)) {
    offsets_.reserve(lengths_.size() + 1);
    offsets_.push_back(0);
    for (int64_t n : lengths_) {
      FUNASR_CHECK(n >= 0, ErrorCode::kInvalidArgument, "negative sequence length ", n);
      offsets_.push_back(offsets_.back() + n);
    }
  }
  // A single sequence of `length` rows.
  static PackedSequences Single(int64_t length) { return PackedSequences({length}); }

  int64_t count() const { return static_cast<int64_t>(lengths_.size()); }
  int64_t length(int64_t i) const { return lengths_[static_cast<size_t>(i)]; }
  // First row of sequence i.
  int64_t offset(int64_t i) const { return offsets_[static_cast<size_t>(i)]; }
  int64_t total_rows() const { return offsets_.empty() ? 0 : offsets_.back(); }
  int64_t max_length() const {
    int64_t m = 0;
    for (int64_t n : lengths_) m = n > m ? n : m;
    return m;
  }
  const std::vector<int64_t>& lengths() const { return lengths_; }

 private:
  std::vector<int64_t> lengths_;
  std::vector<int64_t> offsets_;
};

}  // namespace funasr::layers
