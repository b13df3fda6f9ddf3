#include "common/case_dirs.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace funasr_test {

std::vector<std::string> ListCaseDirs(const std::string& rel) {
  std::set<std::string> names;
  for (const fs::path root : {fs::path(FUNASR_TEST_DATA_DIR), fs::path(FUNASR_SHARED_DIR)}) {
    std::error_code ec;
    const fs::path dir = root / rel;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec))
      if (entry.is_directory()) names.insert(entry.path().filename().string());
  }
  return {names.begin(), names.end()};
}

}  // namespace funasr_test
