// Tensor: an n-dimensional, contiguous, row-major block of one element type.
//
// A Tensor either owns its storage or borrows it (a view over memory that something else
// keeps alive: a memory-mapped native model file, a checkpoint buffer, another tensor).
// Copies of a Tensor share the storage; the keep-alive handle makes borrowing safe.
// Weights of a loaded model are Tensors that are never written after loading.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/check.h"

namespace funasr {

enum class DType : uint8_t { kF32 = 0, kF16 = 1, kI8 = 2, kI32 = 3, kI64 = 4 };

// Size of one element in bytes.
size_t DTypeSize(DType dtype);
// "f32", "f16", "i8", "i32", "i64".
const char* DTypeName(DType dtype);

using Shape = std::vector<int64_t>;
std::string ShapeToString(const Shape& shape);  // e.g. "[4, 128]"
int64_t ShapeNumel(const Shape& shape);          // product of dims; 1 for a scalar

template <typename T>
struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::kF32; };
template <> struct DTypeOf<uint16_t> { static constexpr DType value = DType::kF16; };
template <> struct DTypeOf<int8_t> { static constexpr DType value = DType::kI8; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::kI32; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::kI64; };

class Tensor {
 public:
  Tensor() = default;

  // Owning, zero-filled tensor (64-byte aligned storage).
  static Tensor Zeros(DType dtype, const Shape& shape);
  // Owning copy of `numel(shape)` elements at `data`.
  static Tensor Copy(DType dtype, const Shape& shape, const void* data);
  // View over `data`, which `keepalive` keeps valid (may be null for static memory).
  static Tensor Borrow(DType dtype, const Shape& shape, const void* data,
                       std::shared_ptr<const void> keepalive);
  // Convenience: owning f32 tensor from values.
  static Tensor FromVector(const Shape& shape, const std::vector<float>& values);

  bool empty() const { return data_ == nullptr && numel() == 0; }
  bool defined() const { return dtype_set_; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  // dim(i) with Python-style negative indices.
  int64_t dim(int i) const;
  int64_t numel() const { return ShapeNumel(shape_); }
  size_t nbytes() const { return static_cast<size_t>(numel()) * DTypeSize(dtype_); }

  const void* raw_data() const { return data_; }
  template <typename T>
  const T* data() const {
    CheckType(DTypeOf<T>::value);
    return static_cast<const T*>(data_);
  }
  // Writable access; only for tensors this code created (weights of a loaded model are
  // never written, and borrowed storage may be read-only mapped memory).
  template <typename T>
  T* mutable_data() {
    CheckType(DTypeOf<T>::value);
    FUNASR_ASSERT(owned_);
    return static_cast<T*>(const_cast<void*>(data_));
  }

  // Same storage, new shape with the same number of elements.
  Tensor Reshape(const Shape& shape) const;
  // Rows [begin, end) along the first dimension, as a view.
  Tensor Slice0(int64_t begin, int64_t end) const;
  // Converts f16 / i32 / i64 to a new owning f32 tensor (f32: returns *this).
  Tensor ToF32() const;

  // Throws a FormatError naming `what` unless the shape equals `expected`.
  void ExpectShape(const Shape& expected, const std::string& what) const;

 private:
  void CheckType(DType want) const;

  DType dtype_ = DType::kF32;
  bool dtype_set_ = false;
  bool owned_ = false;
  Shape shape_;
  const void* data_ = nullptr;
  std::shared_ptr<const void> storage_;
};

// IEEE half <-> float conversions (round to nearest even).
float HalfToFloat(uint16_t h);
uint16_t FloatToHalf(float f);

}  // namespace funasr
