// Enumerating golden case folders (e.g. every reference/bicif-paraformer-tiny/<case>/).
#pragma once

#include <string>
#include <vector>

namespace funasr_test {

// Sorted names of the sub-directories of `rel` found under tests/data/ and ../shared/
// (union of both, so committed fixtures and the full shared set are both covered).
std::vector<std::string> ListCaseDirs(const std::string& rel);

}  // namespace funasr_test
