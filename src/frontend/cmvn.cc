#include "frontend/cmvn.h"

#include "core/check.h"

namespace funasr::frontend {

void CheckCmvnDim(const io::Cmvn& cmvn, int64_t dim) {
  FUNASR_CHECK(cmvn.shift.size() == cmvn.scale.size(), ErrorCode::kFormatError,
               "CMVN: <AddShift> has ", cmvn.shift.size(), " values but <Rescale> has ",
               cmvn.scale.size());
  FUNASR_CHECK(static_cast<int64_t>(cmvn.dim()) == dim, ErrorCode::kFormatError,
               "CMVN: am.mvn has ", cmvn.dim(), " values per vector but the features have ", dim,
               " dims (n_mels * lfr_m)");
}

void ApplyCmvn(const io::Cmvn& cmvn, float* x, int64_t num_rows, int64_t dim) {
  CheckCmvnDim(cmvn, dim);
  const float* shift = cmvn.shift.data();
  const float* scale = cmvn.scale.data();
  for (int64_t r = 0; r < num_rows; ++r) {
    float* row = x + r * dim;
    for (int64_t k = 0; k < dim; ++k) row[k] = (row[k] + shift[k]) * scale[k];
  }
}

void ApplyCmvn(const io::Cmvn& cmvn, Tensor* x) {
  FUNASR_CHECK(x->rank() == 2, ErrorCode::kInvalidArgument,
               "CMVN: expected [T, dim] features, got ", ShapeToString(x->shape()));
  ApplyCmvn(cmvn, x->mutable_data<float>(), x->dim(0), x->dim(1));
}

}  // namespace funasr::frontend
