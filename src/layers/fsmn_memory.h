// The FSMN memory block of SAN-M (paraformer-pipeline.md §2.4, §4.3):
//   y = DepthwiseConv1d(pad(x)) + x
// with a bias-free depthwise Conv1d of kernel K over the channels and zero padding
// left = (K-1)/2 + sanm_shift, right = K-1-left (FunASR's `sanm_shfit`). Frames outside the
// sequence count as zero, which is exactly FunASR's "mask the input, convolve, mask the
// output" on the valid frames.
//
// Used on v inside MultiHeadedAttentionSanm and, on its own, as the decoder's "self
// attention" (FunASR's MultiHeadedAttentionSANMDecoder is only this block).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "io/model_files.h"
#include "layers/packed_sequences.h"
#include "layers/workspace.h"

namespace funasr::layers {

class FsmnMemoryBlock {
 public:
  FsmnMemoryBlock() = default;
  // Reads "<name>" of shape [channels, 1, kernel] (PyTorch depthwise Conv1d weight).
  static FsmnMemoryBlock Load(const io::ModelFiles& files, const std::string& name,
                              int64_t channels, int64_t kernel_size, int64_t sanm_shift);

  // One sequence: x [T, C] -> y [T, C] (y must not overlap x). With a workspace and
  // several threads, long sequences are split into time blocks computed side by side
  // (bit-identical to one call).
  void Forward(const float* x, int64_t t, float* y, Workspace* ws = nullptr) const;
  // Every sequence of a packed batch; x, y are [total_rows, C] (contiguous).
  void Forward(const float* x, const PackedSequences& seqs, float* y,
               Workspace* ws = nullptr) const;
  // Rows [t0, t1) of Forward(x, t, y) alone, on the calling thread, bit-identical to them;
  // `scratch` holds ScratchFloats(t1 - t0) floats. x must be complete around the block
  // (left_padding() rows before t0, kernel_size() - 1 - left_padding() after t1 - 1).
  void ForwardRows(const float* x, int64_t t, int64_t t0, int64_t t1, float* y,
                   float* scratch) const;
  // Rows [r0, r1) of the packed-batch Forward (the block may cut through sequences).
  void ForwardRows(const float* x, const PackedSequences& seqs, int64_t r0, int64_t r1,
                   float* y, float* scratch) const;
  int64_t ScratchFloats(int64_t block_rows) const {
    return (block_rows + kernel_ - 1) * channels_;
  }

  int64_t channels() const { return channels_; }
  int64_t kernel_size() const { return kernel_; }
  int64_t left_padding() const { return left_pad_; }

 private:
  // [K, C], tap-major (kernels::TapMajorWeights of the [C, K] file weight): transposed once
  // at load rather than on every call.
  std::vector<float> taps_;
  int64_t channels_ = 0;
  int64_t kernel_ = 0;
  int64_t left_pad_ = 0;
};

}  // namespace funasr::layers
