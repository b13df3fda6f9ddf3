// The libfunasr native model file: one file holding the config, tokens, CMVN, seg_dict and
// all tensors, memory-mapped and used in place (layout: models/README.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "io/model_files.h"

namespace funasr::io {

// File layout constants (models/README.md is the reference).
inline constexpr char kNativeMagic[8] = {'F', 'U', 'N', 'A', 'S', 'R', 'N', 'M'};
inline constexpr uint32_t kNativeVersion = 1;
inline constexpr uint32_t kNativeHeaderSize = 64;
inline constexpr uint64_t kNativeAlignment = 64;

enum class NativeSection : uint32_t { kConfig = 1, kTokens = 2, kCmvn = 3, kSegDict = 4 };

// True when the file starts with the native magic (false for directories, short files...).
bool IsNativeModelFile(const std::string& path);

// Maps and validates a native file: magic, version, total size, every section and tensor
// range and alignment, dtype/shape/byte-count consistency. f32 / f16 / i8 tensors borrow
// the mapping (no copies). Throws FormatError "<path>: ..." on any inconsistency.
std::shared_ptr<const ModelFiles> LoadNativeModel(const std::string& path);
// Same over bytes in memory; `keepalive` keeps `data` valid for the returned object's
// lifetime (used by the fuzzer and tests). `data` must be 64-byte aligned.
std::shared_ptr<const ModelFiles> LoadNativeModel(const void* data, size_t size,
                                                  std::shared_ptr<const void> keepalive,
                                                  const std::string& name);

}  // namespace funasr::io
