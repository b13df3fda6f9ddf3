#include "io/native_model.h"

#include <cstring>
#include <fstream>
#include <unordered_set>

#include "core/check.h"
#include "io/config_file.h"
#include "io/mapped_file.h"
#include "io/model_class.h"
#include "io/model_contents.h"
#include "io/seg_dict.h"

namespace funasr::io {
namespace {

constexpr int kMaxRank = 8;

// Bounds-checked little-endian cursor over [begin, end) of the file.
class Cursor {
 public:
  Cursor(const unsigned char* base, uint64_t begin, uint64_t end, const std::string& file)
      : base_(base), pos_(begin), end_(end), file_(file) {}
  template <typename T>
  T Read(const char* what) {
    Need(sizeof(T), what);
    T v;
    std::memcpy(&v, base_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string Bytes(uint64_t n, const char* what) {
    Need(n, what);
    std::string s(reinterpret_cast<const char*>(base_ + pos_), static_cast<size_t>(n));
    pos_ += n;
    return s;
  }
  uint64_t pos() const { return pos_; }

 private:
  void Need(uint64_t n, const char* what) const {
    FUNASR_CHECK(n <= end_ - pos_, ErrorCode::kFormatError, file_, ": native index truncated while reading ",
                 what, " at byte ", pos_);
  }
  const unsigned char* base_;
  uint64_t pos_, end_;
  const std::string& file_;
};

struct Range {
  uint64_t offset = 0, size = 0;
};

void CheckRange(const Range& r, uint64_t file_size, uint64_t align, const std::string& file,
                const std::string& what) {
  FUNASR_CHECK(r.offset <= file_size && r.size <= file_size - r.offset, ErrorCode::kFormatError, file,
               ": ", what, " (", r.size, " bytes at offset ", r.offset, ") lies outside the ", file_size,
               "-byte file");
  FUNASR_CHECK(r.offset % align == 0, ErrorCode::kFormatError, file, ": ", what, " at offset ",
               r.offset, " is not ", align, "-byte aligned");
}

bool ValidDType(uint8_t d) { return d <= static_cast<uint8_t>(DType::kI64); }

std::vector<std::string> ReadTokens(const unsigned char* p, const Range& r, const std::string& file) {
  Cursor c(p, r.offset, r.offset + r.size, file);
  uint64_t count = c.Read<uint64_t>("token count");
  FUNASR_CHECK(count > 0, ErrorCode::kFormatError, file, ": empty token list");
  FUNASR_CHECK(count < r.size / 8, ErrorCode::kFormatError, file, ": token count ", count,
               " does not fit the token section");
  uint64_t table = c.pos();
  uint64_t strings = table + (count + 1) * 8;
  FUNASR_CHECK(strings <= r.offset + r.size, ErrorCode::kFormatError, file,
               ": token offsets do not fit the token section");
  uint64_t bytes = r.offset + r.size - strings;
  std::vector<std::string> tokens;
  tokens.reserve(count);
  uint64_t prev;
  std::memcpy(&prev, p + table, 8);
  FUNASR_CHECK(prev == 0, ErrorCode::kFormatError, file, ": token offsets must start at 0");
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t next;
    std::memcpy(&next, p + table + (i + 1) * 8, 8);
    FUNASR_CHECK(next >= prev && next <= bytes, ErrorCode::kFormatError, file, ": token ", i,
                 " has an invalid offset");
    tokens.emplace_back(reinterpret_cast<const char*>(p + strings + prev), next - prev);
    prev = next;
  }
  return tokens;
}

Cmvn ReadCmvn(const unsigned char* p, const Range& r, const std::string& file) {
  Cursor c(p, r.offset, r.offset + r.size, file);
  uint64_t dim = c.Read<uint64_t>("CMVN dimension");
  FUNASR_CHECK(dim > 0 && dim <= (r.size - 8) / 8 && r.size == 8 + 8 * dim, ErrorCode::kFormatError,
               file, ": CMVN section of ", r.size, " bytes does not hold dimension ", dim);
  Cmvn cmvn;
  cmvn.shift.resize(dim);
  cmvn.scale.resize(dim);
  std::memcpy(cmvn.shift.data(), p + r.offset + 8, 4 * dim);
  std::memcpy(cmvn.scale.data(), p + r.offset + 8 + 4 * dim, 4 * dim);
  return cmvn;
}

}  // namespace

bool IsNativeModelFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[8];
  if (!in.read(magic, 8)) return false;
  return std::memcmp(magic, kNativeMagic, 8) == 0;
}

namespace {

ModelContents ParseNativeModel(const void* data, size_t size,
                               const std::shared_ptr<const void>& keepalive,
                               const std::string& name) {
  const auto* p = static_cast<const unsigned char*>(data);
  const std::string& file = name;
  FUNASR_CHECK(size >= kNativeHeaderSize, ErrorCode::kFormatError, file,
               ": too short for a native model file (", size, " bytes)");
  FUNASR_CHECK(std::memcmp(p, kNativeMagic, 8) == 0, ErrorCode::kFormatError, file,
               ": wrong magic (not a libfunasr native model file)");
  Cursor h(p, 8, kNativeHeaderSize, file);
  uint32_t version = h.Read<uint32_t>("version");
  FUNASR_CHECK(version == kNativeVersion, ErrorCode::kUnsupported, file, ": native format version ",
               version, " is not supported (this build reads version ", kNativeVersion, ")");
  uint32_t header_size = h.Read<uint32_t>("header size");
  FUNASR_CHECK(header_size == kNativeHeaderSize, ErrorCode::kFormatError, file, ": bad header size ",
               header_size);
  uint64_t file_size = h.Read<uint64_t>("file size");
  FUNASR_CHECK(file_size == size, ErrorCode::kFormatError, file, ": header says ", file_size,
               " bytes but the file has ", size, " (truncated or appended to)");
  Range index{h.Read<uint64_t>("index offset"), h.Read<uint64_t>("index size")};
  uint32_t num_sections = h.Read<uint32_t>("section count");
  uint32_t num_tensors = h.Read<uint32_t>("tensor count");
  CheckRange(index, size, 8, file, "tensor index");

  ModelContents c;
  c.path = name;
  c.config_path = name + ":config.yaml";
  Cursor ix(p, index.offset, index.offset + index.size, file);
  FUNASR_CHECK(num_sections <= 16, ErrorCode::kFormatError, file, ": ", num_sections, " sections");
  bool have_config = false;
  for (uint32_t s = 0; s < num_sections; ++s) {
    uint32_t kind = ix.Read<uint32_t>("section kind");
    ix.Read<uint32_t>("section flags");
    Range r{ix.Read<uint64_t>("section offset"), ix.Read<uint64_t>("section size")};
    CheckRange(r, size, kNativeAlignment, file, "section " + std::to_string(kind));
    switch (static_cast<NativeSection>(kind)) {
      case NativeSection::kConfig:
        c.config = ParseConfigYaml(
            std::string(reinterpret_cast<const char*>(p + r.offset), r.size), c.config_path);
        c.model_class = IdentifyModelClass(c.config);
        have_config = true;
        break;
      case NativeSection::kTokens:
        c.tokens = ReadTokens(p, r, file);
        break;
      case NativeSection::kCmvn:
        c.cmvn = ReadCmvn(p, r, file);
        break;
      case NativeSection::kSegDict:
        c.seg_dict = ParseSegDict(std::string_view(reinterpret_cast<const char*>(p + r.offset), r.size),
                                  name + ":seg_dict");
        break;
      default:
        Fail(ErrorCode::kFormatError, file, ": unknown section kind ", kind);
    }
  }
  FUNASR_CHECK(have_config, ErrorCode::kFormatError, file, ": no config section");

  for (uint32_t t = 0; t < num_tensors; ++t) {
    uint16_t name_len = ix.Read<uint16_t>("tensor name length");
    FUNASR_CHECK(name_len > 0, ErrorCode::kFormatError, file, ": tensor ", t, " has an empty name");
    std::string tname = ix.Bytes(name_len, "tensor name");
    uint8_t dtype = ix.Read<uint8_t>("tensor dtype");
    uint8_t rank = ix.Read<uint8_t>("tensor rank");
    uint16_t flags = ix.Read<uint16_t>("tensor flags");
    FUNASR_CHECK(ValidDType(dtype), ErrorCode::kFormatError, file, ": tensor '", tname,
                 "' has unknown dtype ", int(dtype));
    FUNASR_CHECK(rank <= kMaxRank, ErrorCode::kFormatError, file, ": tensor '", tname, "' has rank ",
                 int(rank));
    FUNASR_CHECK((flags & ~1u) == 0, ErrorCode::kFormatError, file, ": tensor '", tname,
                 "' has unknown flags ", flags);
    Shape shape(rank);
    int64_t numel = 1;
    for (int d = 0; d < rank; ++d) {
      shape[d] = ix.Read<int64_t>("tensor dims");
      FUNASR_CHECK(shape[d] >= 0 && !__builtin_mul_overflow(numel, shape[d], &numel) &&
                       numel <= (int64_t{1} << 40),
                   ErrorCode::kFormatError, file, ": tensor '", tname, "' has an invalid shape");
    }
    Range data{ix.Read<uint64_t>("tensor offset"), ix.Read<uint64_t>("tensor size")};
    Range scales{ix.Read<uint64_t>("scales offset"), ix.Read<uint64_t>("scales size")};
    DType dt = static_cast<DType>(dtype);
    FUNASR_CHECK(data.size == static_cast<uint64_t>(numel) * DTypeSize(dt), ErrorCode::kFormatError,
                 file, ": tensor '", tname, "' ", DTypeName(dt), ShapeToString(shape), " needs ",
                 static_cast<uint64_t>(numel) * DTypeSize(dt), " bytes, index says ", data.size);
    CheckRange(data, size, kNativeAlignment, file, "tensor '" + tname + "'");
    StoredTensor st;
    st.data = Tensor::Borrow(dt, shape, p + data.offset, keepalive);
    bool has_scales = flags & 1u;
    FUNASR_CHECK(has_scales == (dt == DType::kI8), ErrorCode::kFormatError, file, ": tensor '", tname,
                 "': int8 tensors (and only they) carry per-row scales");
    if (has_scales) {
      FUNASR_CHECK(rank == 2 && scales.size == static_cast<uint64_t>(shape[0]) * 4,
                   ErrorCode::kFormatError, file, ": int8 tensor '", tname, "' needs ", rank ? shape[0] : 0,
                   " f32 scales (2-D weights only)");
      CheckRange(scales, size, kNativeAlignment, file, "scales of '" + tname + "'");
      st.scales = Tensor::Borrow(DType::kF32, {shape[0]}, p + scales.offset, keepalive);
    } else {
      FUNASR_CHECK(scales.offset == 0 && scales.size == 0, ErrorCode::kFormatError, file, ": tensor '",
                   tname, "' has scales but is not int8");
    }
    c.Add(tname, std::move(st));
  }
  FUNASR_CHECK(ix.pos() == index.offset + index.size, ErrorCode::kFormatError, file,
               ": tensor index has trailing bytes");
  return c;
}

}  // namespace

std::shared_ptr<const ModelFiles> LoadNativeModel(const std::string& path) {
  auto mapping = MappedFile::Open(path);
  ModelContents c = ParseNativeModel(mapping->data(), mapping->size(), mapping, path);
  c.mapping = mapping;
  return MakeModelFiles(std::move(c));
}

std::shared_ptr<const ModelFiles> LoadNativeModel(const void* data, size_t size,
                                                  std::shared_ptr<const void> keepalive,
                                                  const std::string& name) {
  return MakeModelFiles(ParseNativeModel(data, size, keepalive, name));
}

}  // namespace funasr::io
