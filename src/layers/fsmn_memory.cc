#include "layers/fsmn_memory.h"

#include <algorithm>

#include "core/threading.h"
#include "kernels/conv1d.h"
#include "kernels/elementwise.h"

namespace funasr::layers {

FsmnMemoryBlock FsmnMemoryBlock::Load(const io::ModelFiles& files, const std::string& name,
                                      int64_t channels, int64_t kernel_size,
                                      int64_t sanm_shift) {
  FUNASR_CHECK(kernel_size >= 1, ErrorCode::kFormatError, name, ": FSMN kernel size ",
               kernel_size, " must be >= 1");
  FsmnMemoryBlock b;
  const Tensor weight = files.GetF32(name, Shape{channels, 1, kernel_size});
  b.taps_ = kernels::TapMajorWeights(weight.data<float>(), channels, kernel_size);
  b.channels_ = channels;
  b.kernel_ = kernel_size;
  // FunASR: left = (K-1)//2, plus sanm_shfit when it is positive; right = K-1-left.
  b.left_pad_ = (kernel_size - 1) / 2 + (sanm_shift > 0 ? sanm_shift : 0);
  FUNASR_CHECK(b.left_pad_ <= kernel_size - 1, ErrorCode::kFormatError, name,
               ": sanm_shfit ", sanm_shift, " too large for kernel size ", kernel_size);
  return b;
}

void FsmnMemoryBlock::Forward(const float* x, int64_t t, float* y, Workspace* ws) const {
  if (t == 0) return;
  const int64_t c = channels_;
  const int threads = GetNumThreads();
  if (ws == nullptr || threads <= 1 || t * c < (int64_t{1} << 14) || t < 4 * kernel_) {
    kernels::DepthwiseConv1dTapMajor(x, t, c, taps_.data(), kernel_, left_pad_, y);
    kernels::Add(y, x, t * c, y);
    return;
  }
  Workspace::Scope scope(*ws);
  const int64_t block_rows = (t + threads - 1) / threads;
  float* scratch = ws->Floats(ScratchFloats(block_rows) * threads);
  ParallelFor(threads, threads, [&](int64_t block) {
    ForwardRows(x, t, t * block / threads, t * (block + 1) / threads, y,
                scratch + block * ScratchFloats(block_rows));
  });
}

void FsmnMemoryBlock::ForwardRows(const float* x, int64_t t, int64_t t0, int64_t t1, float* y,
                                  float* scratch) const {
  if (t0 >= t1) return;
  // Block [t0, t1) convolves the input window [t0 - left, t1 + right) (clipped to the
  // sequence) into the scratch; the window edges inside the sequence lie outside the rows
  // kept, so every kept row sees exactly the inputs of the one-call computation.
  const int64_t c = channels_;
  const int64_t right = kernel_ - 1 - left_pad_;
  const int64_t a = std::max<int64_t>(0, t0 - left_pad_);
  const int64_t e = std::min<int64_t>(t, t1 + right);
  kernels::DepthwiseConv1dTapMajor(x + a * c, e - a, c, taps_.data(), kernel_, left_pad_,
                                   scratch);
  kernels::Add(scratch + (t0 - a) * c, x + t0 * c, (t1 - t0) * c, y + t0 * c);
}

void FsmnMemoryBlock::ForwardRows(const float* x, const PackedSequences& seqs, int64_t r0,
                                  int64_t r1, float* y, float* scratch) const {
  for (int64_t s = 0; s < seqs.count(); ++s) {
    const int64_t off = seqs.offset(s), len = seqs.length(s);
    const int64_t t0 = std::max(r0, off) - off, t1 = std::min(r1, off + len) - off;
    if (t0 < t1) {
      ForwardRows(x + off * channels_, len, t0, t1, y + off * channels_, scratch);
    }
  }
}

void FsmnMemoryBlock::Forward(const float* x, const PackedSequences& seqs, float* y,
                              Workspace* ws) const {
  for (int64_t s = 0; s < seqs.count(); ++s) {
    const int64_t off = seqs.offset(s) * channels_;
    Forward(x + off, seqs.length(s), y + off, ws);
  }
}

}  // namespace funasr::layers
