// Writing an uncompressed (stored) zip archive with libzip: the container of a PyTorch
// checkpoint, used by the random-model maker and to build test inputs.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace funasr::io {

struct ZipMember {
  std::string name;
  const void* data = nullptr;  // must stay valid until WriteStoredZip returns
  size_t size = 0;
};

// Writes `members` in order, uncompressed, to `path` (replacing it). IoError on failure.
void WriteStoredZip(const std::string& path, const std::vector<ZipMember>& members);

}  // namespace funasr::io
