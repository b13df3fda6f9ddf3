// Unicode tables behind Python's str.isalpha() / str.lower(), generated from the Unicode
// database of the Python that produced the golden data (see scripts/gen_unicode_tables.py).
// Use the functions in text/utf8.h; these arrays are their data.
#pragma once

#include <cstddef>
#include <cstdint>

namespace funasr::text::unicode_tables {

struct CodePointRange {
  char32_t first;
  char32_t last;  // inclusive
};

// Code points first, first+stride, ..., last all lower-case to cp + delta.
struct LowerRun {
  char32_t first;
  char32_t last;
  int32_t stride;
  int32_t delta;
};

extern const char kUnicodeVersion[];
extern const CodePointRange kAlphaRanges[];  // sorted, disjoint
extern const size_t kAlphaRangeCount;
extern const LowerRun kLowerRuns[];  // sorted by first, disjoint spans
extern const size_t kLowerRunCount;

}  // namespace funasr::text::unicode_tables
