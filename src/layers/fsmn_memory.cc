#include "layers/fsmn_memory.h"

#include "kernels/conv1d.h"
#include "kernels/elementwise.h"

namespace funasr::layers {

FsmnMemoryBlock FsmnMemoryBlock::Load(const io::ModelFiles& files, const std::string& name,
                                      int64_t channels, int64_t kernel_size,
                                      int64_t sanm_shift) {
  FUNASR_CHECK(kernel_size >= 1, ErrorCode::kFormatError, name, ": FSMN kernel size ",
               kernel_size, " must be >= 1");
  FsmnMemoryBlock b;
  b.weight_ = files.GetF32(name, Shape{channels, 1, kernel_size}).Reshape({channels, kernel_size});
  b.channels_ = channels;
  b.kernel_ = kernel_size;
  // FunASR: left = (K-1)//2, plus sanm_shfit when it is positive; right = K-1-left.
  b.left_pad_ = (kernel_size - 1) / 2 + (sanm_shift > 0 ? sanm_shift : 0);
  FUNASR_CHECK(b.left_pad_ <= kernel_size - 1, ErrorCode::kFormatError, name,
               ": sanm_shfit ", sanm_shift, " too large for kernel size ", kernel_size);
  return b;
}

void FsmnMemoryBlock::Forward(const float* x, int64_t t, float* y) const {
  if (t == 0) return;
  kernels::DepthwiseConv1d(x, t, channels_, weight_.data<float>(), kernel_, left_pad_, y);
  kernels::Add(y, x, t * channels_, y);
}

void FsmnMemoryBlock::Forward(const float* x, const PackedSequences& seqs, float* y) const {
  for (int64_t s = 0; s < seqs.count(); ++s) {
    const int64_t off = seqs.offset(s) * channels_;
    Forward(x + off, seqs.length(s), y + off);
  }
}

}  // namespace funasr::layers
