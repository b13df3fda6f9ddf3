#include "io/native_model_writer.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/check.h"
#include "io/native_model.h"
#include "kernels/linear.h"

namespace funasr::io {
namespace {

uint64_t AlignUp(uint64_t x) { return (x + kNativeAlignment - 1) / kNativeAlignment * kNativeAlignment; }

template <typename T>
void Put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}

struct PlannedTensor {
  std::string name;
  Tensor source;
  DType dtype;
  bool quantize = false;
  uint64_t offset = 0, size = 0, scales_offset = 0, scales_size = 0;
};

struct PlannedSection {
  NativeSection kind;
  std::string bytes;
  uint64_t offset = 0;
};

class FileWriter {
 public:
  explicit FileWriter(const std::string& path) : path_(path) {
    f_ = std::fopen(path.c_str(), "wb");
    if (f_ == nullptr) Fail(ErrorCode::kIoError, path, ": cannot create (", std::strerror(errno), ")");
  }
  ~FileWriter() {
    if (f_ != nullptr) std::fclose(f_);
  }
  void Write(const void* p, uint64_t n) {
    if (n > 0 && std::fwrite(p, 1, n, f_) != n)
      Fail(ErrorCode::kIoError, path_, ": write failed (", std::strerror(errno), ")");
    pos_ += n;
  }
  void PadTo(uint64_t offset) {
    FUNASR_ASSERT(offset >= pos_);
    static const char zeros[kNativeAlignment] = {};
    while (pos_ < offset) Write(zeros, std::min<uint64_t>(offset - pos_, kNativeAlignment));
  }
  void Close() {
    int rc = std::fclose(f_);
    f_ = nullptr;
    FUNASR_CHECK(rc == 0, ErrorCode::kIoError, path_, ": write failed on close");
  }
  uint64_t pos() const { return pos_; }

 private:
  std::string path_;
  FILE* f_ = nullptr;
  uint64_t pos_ = 0;
};

}  // namespace

NativeDType ParseNativeDType(const std::string& s) {
  if (s == "f32" || s == "fp32" || s == "float32") return NativeDType::kF32;
  if (s == "f16" || s == "fp16" || s == "float16") return NativeDType::kF16;
  if (s == "int8" || s == "i8") return NativeDType::kInt8;
  Fail(ErrorCode::kInvalidArgument, "unknown dtype '", s, "' (expected f32, f16 or int8)");
}

bool QuantizeAsLinearWeight(const std::string& name, const Shape& shape) {
  const std::string suffix = ".weight";
  if (shape.size() != 2 || name.size() <= suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  // Embedding tables are looked up by row, never multiplied: keep them float. The CIF
  // head (predictor.cif_output / cif_output2, [1, d]) stays float too: its alphas decide
  // the token count and the timestamps, so the models compute it in f32 and would only
  // dequantise it at load.
  return name.find("embed") == std::string::npos &&
         name.find("predictor.cif_output") == std::string::npos;
}

NativeWriteStats WriteNativeModel(const ModelFiles& model, const std::string& path,
                                  NativeDType dtype) {
  NativeWriteStats stats;
  // Sections.
  std::vector<PlannedSection> sections;
  {
    YAML::Emitter emitter;
    emitter << model.config();
    FUNASR_CHECK(emitter.good(), ErrorCode::kInternal, "cannot serialise the config of ", model.path());
    sections.push_back({NativeSection::kConfig, std::string(emitter.c_str(), emitter.size())});
  }
  if (!model.tokens().empty()) {
    std::string b;
    const auto& tokens = model.tokens();
    Put<uint64_t>(b, tokens.size());
    uint64_t off = 0;
    Put<uint64_t>(b, 0);
    for (const auto& t : tokens) Put<uint64_t>(b, off += t.size());
    for (const auto& t : tokens) b += t;
    sections.push_back({NativeSection::kTokens, std::move(b)});
  }
  if (model.cmvn()) {
    std::string b;
    const Cmvn& c = *model.cmvn();
    FUNASR_CHECK(c.shift.size() == c.scale.size(), ErrorCode::kInternal, "CMVN vectors differ in size");
    Put<uint64_t>(b, c.dim());
    b.append(reinterpret_cast<const char*>(c.shift.data()), 4 * c.dim());
    b.append(reinterpret_cast<const char*>(c.scale.data()), 4 * c.dim());
    sections.push_back({NativeSection::kCmvn, std::move(b)});
  }
  if (!model.seg_dict().empty()) {
    std::string b;
    for (const auto& [word, pieces] : model.seg_dict()) {
      b += word;
      for (const auto& piece : pieces) b += " " + piece;
      b += "\n";
    }
    sections.push_back({NativeSection::kSegDict, std::move(b)});
  }

  // Tensors.
  std::vector<PlannedTensor> tensors;
  uint64_t index_size = sections.size() * 24;
  for (const std::string& name : model.TensorNames()) {
    FUNASR_CHECK(name.size() < 65536, ErrorCode::kInvalidArgument, "tensor name too long: ", name);
    PlannedTensor t;
    t.name = name;
    t.source = model.GetTensor(name);
    DType src = t.source.dtype();
    bool is_float = src == DType::kF32 || src == DType::kF16;
    t.dtype = src;
    if (is_float) {
      if (dtype == NativeDType::kF16) {
        t.dtype = DType::kF16;
      } else if (dtype == NativeDType::kInt8 && QuantizeAsLinearWeight(name, t.source.shape())) {
        t.dtype = DType::kI8;
        t.quantize = true;
      } else {
        t.dtype = DType::kF32;
      }
    }
    t.size = static_cast<uint64_t>(t.source.numel()) * DTypeSize(t.dtype);
    if (t.quantize) t.scales_size = static_cast<uint64_t>(t.source.dim(0)) * 4;
    index_size += 2 + name.size() + 4 + 8 * t.source.shape().size() + 32;
    tensors.push_back(std::move(t));
  }

  // Offsets: header | index | sections | tensor data, each block 64-byte aligned.
  uint64_t pos = AlignUp(kNativeHeaderSize + index_size);
  for (auto& s : sections) {
    s.offset = pos;
    pos = AlignUp(pos + s.bytes.size());
  }
  for (auto& t : tensors) {
    t.offset = pos;
    pos = AlignUp(pos + t.size);
    if (t.quantize) {
      t.scales_offset = pos;
      pos = AlignUp(pos + t.scales_size);
    }
  }
  uint64_t file_size = pos;

  std::string head;
  head.append(kNativeMagic, 8);
  Put<uint32_t>(head, kNativeVersion);
  Put<uint32_t>(head, kNativeHeaderSize);
  Put<uint64_t>(head, file_size);
  Put<uint64_t>(head, kNativeHeaderSize);
  Put<uint64_t>(head, index_size);
  Put<uint32_t>(head, static_cast<uint32_t>(sections.size()));
  Put<uint32_t>(head, static_cast<uint32_t>(tensors.size()));
  head.resize(kNativeHeaderSize, '\0');
  for (const auto& s : sections) {
    Put<uint32_t>(head, static_cast<uint32_t>(s.kind));
    Put<uint32_t>(head, 0);
    Put<uint64_t>(head, s.offset);
    Put<uint64_t>(head, s.bytes.size());
  }
  for (const auto& t : tensors) {
    Put<uint16_t>(head, static_cast<uint16_t>(t.name.size()));
    head += t.name;
    Put<uint8_t>(head, static_cast<uint8_t>(t.dtype));
    Put<uint8_t>(head, static_cast<uint8_t>(t.source.shape().size()));
    Put<uint16_t>(head, t.quantize ? 1 : 0);
    for (int64_t d : t.source.shape()) Put<int64_t>(head, d);
    Put<uint64_t>(head, t.offset);
    Put<uint64_t>(head, t.size);
    Put<uint64_t>(head, t.scales_offset);
    Put<uint64_t>(head, t.scales_size);
  }
  FUNASR_ASSERT(head.size() == kNativeHeaderSize + index_size);

  std::string tmp = path + ".tmp";
  {
    FileWriter w(tmp);
    w.Write(head.data(), head.size());
    for (const auto& s : sections) {
      w.PadTo(s.offset);
      w.Write(s.bytes.data(), s.bytes.size());
    }
    for (const auto& t : tensors) {
      w.PadTo(t.offset);
      ++stats.tensors;
      stats.parameters += t.source.numel();
      if (t.quantize) {
        kernels::LinearWeights lw;
        lw.weight = t.source.ToF32();
        kernels::LinearWeights q = kernels::QuantizeLinearInt8(lw);
        w.Write(q.weight.raw_data(), t.size);
        w.PadTo(t.scales_offset);
        w.Write(q.scales.raw_data(), t.scales_size);
        ++stats.int8_tensors;
      } else if (t.dtype == t.source.dtype()) {
        w.Write(t.source.raw_data(), t.size);
      } else if (t.dtype == DType::kF16) {
        Tensor f = t.source.ToF32();
        std::vector<uint16_t> h(static_cast<size_t>(f.numel()));
        const float* src = f.data<float>();
        for (size_t i = 0; i < h.size(); ++i) h[i] = FloatToHalf(src[i]);
        w.Write(h.data(), t.size);
        ++stats.f16_tensors;
      } else {  // f16 source written as f32
        Tensor f = t.source.ToF32();
        w.Write(f.raw_data(), t.size);
      }
    }
    w.PadTo(file_size);
    w.Close();
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    Fail(ErrorCode::kIoError, path, ": cannot rename ", tmp, " into place (", std::strerror(errno), ")");
  }
  stats.file_bytes = file_size;
  return stats;
}

}  // namespace funasr::io
