#include "io/model_contents.h"

#include "core/check.h"

namespace funasr::io {

void ModelContents::Add(const std::string& name, StoredTensor t) {
  FUNASR_CHECK(tensors.emplace(name, std::move(t)).second, ErrorCode::kFormatError, path,
               ": duplicate tensor '", name, "'");
  tensor_names.push_back(name);
}

namespace {

class ContentsModelFiles final : public ModelFiles {
 public:
  explicit ContentsModelFiles(ModelContents c) : c_(std::move(c)) {}

  const std::string& path() const override { return c_.path; }
  const std::string& config_path() const override { return c_.config_path; }
  const YAML::Node& config() const override { return c_.config; }
  std::string model_class() const override { return c_.model_class; }
  bool HasTensor(const std::string& name) const override { return c_.tensors.count(name) > 0; }
  std::vector<std::string> TensorNames() const override { return c_.tensor_names; }

  Tensor GetTensor(const std::string& name) const override {
    const StoredTensor& t = Find(name);
    if (!t.data.defined() && t.read) return t.read();
    if (!t.scales.defined()) return t.data;
    // int8 weight read as a plain tensor: dequantise (w = scale[row] * q).
    Tensor out = Tensor::Zeros(DType::kF32, t.data.shape());
    int64_t rows = t.data.dim(0);
    int64_t cols = rows == 0 ? 0 : t.data.numel() / rows;
    const int8_t* q = t.data.data<int8_t>();
    const float* s = t.scales.data<float>();
    float* o = out.mutable_data<float>();
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t k = 0; k < cols; ++k) o[r * cols + k] = s[r] * static_cast<float>(q[r * cols + k]);
    return out;
  }

  bool GetInt8(const std::string& name, Tensor* weight, Tensor* scales) const override {
    auto it = c_.tensors.find(name);
    if (it == c_.tensors.end() || !it->second.scales.defined()) return false;
    *weight = it->second.data;
    *scales = it->second.scales;
    return true;
  }

  const std::vector<std::string>& tokens() const override { return c_.tokens; }
  const std::optional<Cmvn>& cmvn() const override { return c_.cmvn; }
  const std::map<std::string, std::vector<std::string>>& seg_dict() const override {
    return c_.seg_dict;
  }
  void DropResidentWeightPages() const override {
    if (c_.mapping) c_.mapping->DropResidentPages();
  }
  void DropResidentTensorPages(const std::string& name) const override {
    auto it = c_.tensors.find(name);
    if (!c_.mapping || it == c_.tensors.end() || !it->second.data.defined()) return;
    c_.mapping->DropResidentPages(it->second.data.raw_data(), it->second.data.nbytes());
  }

 private:
  const StoredTensor& Find(const std::string& name) const {
    auto it = c_.tensors.find(name);
    if (it == c_.tensors.end())
      Fail(ErrorCode::kFormatError, c_.path, ": tensor '", name, "' not found");
    return it->second;
  }

  ModelContents c_;
};

}  // namespace

std::shared_ptr<const ModelFiles> MakeModelFiles(ModelContents contents) {
  return std::make_shared<ContentsModelFiles>(std::move(contents));
}

}  // namespace funasr::io
