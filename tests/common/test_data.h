// Locating golden data and reading .npy files in tests.
//
// Golden data mirror the layout of ../shared/ (reference/..., models/..., audio/...).
// A compact subset is committed under tests/data/ so that a fresh clone passes on its own;
// the full set in ../shared/ is used when present (CI has it beside the clone).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace funasr_test {

// Path of `rel` under tests/data/ if it exists there, else under ../shared/, else "".
std::string FindData(const std::string& rel);
// Like FindData, but only ../shared/ (for large inputs that are not committed).
std::string SharedData(const std::string& rel);
// FindData or a test failure naming the missing file (use with ASSERT_FALSE(...empty())).
std::string RequireData(const std::string& rel);
// A fresh empty directory for a test to write into (under the build tree), unique to
// the calling process.
std::string TempDir(const std::string& name);

struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> f32;    // filled for float32 arrays (and converted from float64)
  std::vector<int64_t> i64;  // filled for integer arrays (int32 / int64)
  bool is_float = true;
  int64_t numel() const;
};
// Reads a little-endian C-order .npy file (float32/float64/int32/int64). Throws on error.
NpyArray LoadNpy(const std::string& path);

std::string ReadTextFile(const std::string& path);

// max |a[i] - b[i]|; sizes must match.
// Resident kilobytes of this process's mappings of the file `path` (/proc/self/smaps; 0
// when it is not mapped).
int64_t MappedResidentKb(const std::string& path);

float MaxAbsDiff(const float* a, const float* b, size_t n);

}  // namespace funasr_test
