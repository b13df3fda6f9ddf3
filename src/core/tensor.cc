#include "core/tensor.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <sstream>

namespace funasr {

size_t DTypeSize(DType dtype) {
  switch (dtype) {
    case DType::kF32: return 4;
    case DType::kF16: return 2;
    case DType::kI8: return 1;
    case DType::kI32: return 4;
    case DType::kI64: return 8;
  }
  return 0;
}

const char* DTypeName(DType dtype) {
  switch (dtype) {
    case DType::kF32: return "f32";
    case DType::kF16: return "f16";
    case DType::kI8: return "i8";
    case DType::kI32: return "i32";
    case DType::kI64: return "i64";
  }
  return "?";
}

std::string ShapeToString(const Shape& shape) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << "]";
  return os.str();
}

int64_t ShapeNumel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    FUNASR_CHECK(d >= 0, ErrorCode::kInvalidArgument, "negative dimension in shape ",
                 ShapeToString(shape));
    n *= d;
  }
  return n;
}

namespace {

// From this size on, tensor storage is mapped directly (zero pages from the OS) and
// unmapped when freed. Through malloc, glibc raises its own mapping threshold after the
// first such block is freed, so that loading a model (source tensors read, converted and
// freed one after another) fragmented the heap: ~300 MB above the steady state for int8
// paraformer-large from model.pt.
constexpr size_t kMappedTensorBytes = size_t{1} << 20;

std::shared_ptr<const void> AllocateAligned(size_t bytes) {
  size_t rounded = ((bytes + 63) / 64) * 64;
  if (rounded == 0) rounded = 64;
  if (rounded >= kMappedTensorBytes) {
    void* p = ::mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    FUNASR_CHECK(p != MAP_FAILED, ErrorCode::kInternal, "out of memory allocating ", bytes,
                 " bytes");
    return std::shared_ptr<const void>(
        p, [rounded](const void* q) { ::munmap(const_cast<void*>(q), rounded); });
  }
  void* p = std::aligned_alloc(64, rounded);
  FUNASR_CHECK(p != nullptr, ErrorCode::kInternal, "out of memory allocating ", bytes, " bytes");
  std::memset(p, 0, rounded);
  return std::shared_ptr<const void>(p, [](const void* q) { std::free(const_cast<void*>(q)); });
}
}  // namespace

Tensor Tensor::Zeros(DType dtype, const Shape& shape) {
  Tensor t;
  t.dtype_ = dtype;
  t.dtype_set_ = true;
  t.owned_ = true;
  t.shape_ = shape;
  t.storage_ = AllocateAligned(static_cast<size_t>(ShapeNumel(shape)) * DTypeSize(dtype));
  t.data_ = t.storage_.get();
  return t;
}

Tensor Tensor::Copy(DType dtype, const Shape& shape, const void* data) {
  Tensor t = Zeros(dtype, shape);
  if (t.nbytes() > 0) std::memcpy(const_cast<void*>(t.data_), data, t.nbytes());
  return t;
}

Tensor Tensor::Borrow(DType dtype, const Shape& shape, const void* data,
                      std::shared_ptr<const void> keepalive) {
  Tensor t;
  t.dtype_ = dtype;
  t.dtype_set_ = true;
  t.owned_ = false;
  t.shape_ = shape;
  ShapeNumel(shape);  // validates dims
  t.data_ = data;
  t.storage_ = std::move(keepalive);
  return t;
}

Tensor Tensor::FromVector(const Shape& shape, const std::vector<float>& values) {
  FUNASR_CHECK(ShapeNumel(shape) == static_cast<int64_t>(values.size()),
               ErrorCode::kInvalidArgument, "FromVector: ", values.size(),
               " values do not fill shape ", ShapeToString(shape));
  return Copy(DType::kF32, shape, values.data());
}

int64_t Tensor::dim(int i) const {
  int r = rank();
  if (i < 0) i += r;
  FUNASR_CHECK(i >= 0 && i < r, ErrorCode::kInternal, "dim ", i, " out of range for shape ",
               ShapeToString(shape_));
  return shape_[i];
}

Tensor Tensor::Reshape(const Shape& shape) const {
  FUNASR_CHECK(ShapeNumel(shape) == numel(), ErrorCode::kInternal, "cannot reshape ",
               ShapeToString(shape_), " to ", ShapeToString(shape));
  Tensor t = *this;
  t.shape_ = shape;
  return t;
}

Tensor Tensor::Slice0(int64_t begin, int64_t end) const {
  FUNASR_CHECK(rank() >= 1 && begin >= 0 && begin <= end && end <= shape_[0],
               ErrorCode::kInternal, "bad slice [", begin, ", ", end, ") of ",
               ShapeToString(shape_));
  Tensor t = *this;
  t.shape_[0] = end - begin;
  int64_t row = numel() / (shape_[0] == 0 ? 1 : shape_[0]);
  t.data_ = static_cast<const char*>(data_) + begin * row * DTypeSize(dtype_);
  return t;
}

Tensor Tensor::ToF32() const {
  if (dtype_ == DType::kF32) return *this;
  Tensor t = Zeros(DType::kF32, shape_);
  float* out = t.mutable_data<float>();
  int64_t n = numel();
  switch (dtype_) {
    case DType::kF16: {
      const uint16_t* in = static_cast<const uint16_t*>(data_);
      for (int64_t i = 0; i < n; ++i) out[i] = HalfToFloat(in[i]);
      break;
    }
    case DType::kI32: {
      const int32_t* in = static_cast<const int32_t*>(data_);
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]);
      break;
    }
    case DType::kI64: {
      const int64_t* in = static_cast<const int64_t*>(data_);
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i]);
      break;
    }
    default:
      Fail(ErrorCode::kUnsupported, "cannot convert ", DTypeName(dtype_), " tensor to f32");
  }
  return t;
}

void Tensor::ExpectShape(const Shape& expected, const std::string& what) const {
  FUNASR_CHECK(shape_ == expected, ErrorCode::kFormatError, "tensor '", what, "' has shape ",
               ShapeToString(shape_), ", expected ", ShapeToString(expected));
}

void Tensor::CheckType(DType want) const {
  FUNASR_CHECK(dtype_ == want, ErrorCode::kInternal, "tensor holds ", DTypeName(dtype_),
               ", accessed as ", DTypeName(want));
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400u) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3ffu;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t absx = x & 0x7fffffffu;
  if (absx >= 0x7f800000u) {  // inf or nan
    return static_cast<uint16_t>(sign | 0x7c00u | (absx > 0x7f800000u ? 0x200u : 0));
  }
  if (absx >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow -> inf
  if (absx < 0x38800000u) {  // subnormal or zero in half
    if (absx < 0x33000000u) return static_cast<uint16_t>(sign);
    // value = mant * 2^(e-150) and a half subnormal is m * 2^-24, so m = mant >> (126 - e).
    uint32_t mant = (absx & 0x7fffffu) | 0x800000u;
    int shift = 126 - static_cast<int>(absx >> 23);  // 14..24
    uint32_t half_mant = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (half_mant & 1))) ++half_mant;
    return static_cast<uint16_t>(sign | half_mant);
  }
  uint32_t rounded = absx + 0xfffu + ((absx >> 13) & 1u);
  return static_cast<uint16_t>(sign | ((rounded - 0x38000000u) >> 13));
}

}  // namespace funasr
