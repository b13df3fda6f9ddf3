// ModelFiles::Open and the shape-checked accessors shared by every ModelFiles.
#include "io/model_files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/check.h"
#include "io/model_contents.h"
#include "io/model_directory.h"
#include "io/native_model.h"

namespace funasr::io {

std::shared_ptr<const ModelFiles> ModelFiles::Open(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    Fail(ErrorCode::kIoError, path, ": cannot open model (", std::strerror(errno), ")");
  if (S_ISDIR(st.st_mode)) return LoadModelDirectory(path);
  FUNASR_CHECK(S_ISREG(st.st_mode), ErrorCode::kIoError, path, ": not a model directory or file");
  if (IsNativeModelFile(path)) return LoadNativeModel(path);
  Fail(ErrorCode::kFormatError, path,
       ": not a libfunasr native model file (a released model is opened by its directory, "
       "not by its model.pt)");
}

std::shared_ptr<const ModelFiles> ModelFiles::WithoutWeights() const {
  ModelContents c;
  c.path = path();
  c.config_path = config_path();
  c.config = config();
  c.model_class = model_class();
  c.tokens = tokens();
  c.cmvn = cmvn();
  c.seg_dict = seg_dict();
  return MakeModelFiles(std::move(c));
}

Tensor ModelFiles::GetF32(const std::string& name, const std::optional<Shape>& shape) const {
  FUNASR_CHECK(HasTensor(name), ErrorCode::kFormatError, path(), ": tensor '", name, "' not found");
  Tensor t = GetTensor(name);
  if (shape && t.shape() != *shape)
    Fail(ErrorCode::kFormatError, path(), ": tensor '", name, "' has shape ",
         ShapeToString(t.shape()), ", expected ", ShapeToString(*shape));
  if (t.dtype() == DType::kF32) return t;
  return t.ToF32();
}

kernels::LinearWeights ModelFiles::GetLinear(const std::string& prefix, int64_t out_features,
                                             int64_t in_features, bool has_bias) const {
  kernels::LinearWeights w;
  std::string wname = prefix + ".weight";
  Tensor q, scales;
  if (GetInt8(wname, &q, &scales)) {
    if (q.shape() != Shape{out_features, in_features})
      Fail(ErrorCode::kFormatError, path(), ": tensor '", wname, "' has shape ",
           ShapeToString(q.shape()), ", expected ", ShapeToString({out_features, in_features}));
    FUNASR_CHECK(scales.dtype() == DType::kF32 && scales.shape() == Shape{out_features},
                 ErrorCode::kFormatError, path(), ": int8 scales of '", wname, "' have shape ",
                 ShapeToString(scales.shape()), ", expected [", out_features, "]");
    w.weight = q;
    w.scales = scales;
  } else {
    w.weight = GetF32(wname, Shape{out_features, in_features});
  }
  if (has_bias) w.bias = GetF32(prefix + ".bias", Shape{out_features});
  return w;
}

}  // namespace funasr::io
