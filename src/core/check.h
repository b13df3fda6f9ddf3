// Internal helpers to throw funasr::Error with a formatted one-line message.
#pragma once

#include <sstream>
#include <string>
#include <utility>

#include "funasr/error.h"

namespace funasr {

namespace detail {
template <typename... Args>
std::string Concat(Args&&... args) {
  std::ostringstream os;
  (os << ... << std::forward<Args>(args));
  return os.str();
}
}  // namespace detail

// Throws Error(code, concatenation of args).
template <typename... Args>
[[noreturn]] void Fail(ErrorCode code, Args&&... args) {
  throw Error(code, detail::Concat(std::forward<Args>(args)...));
}

}  // namespace funasr

// FUNASR_CHECK(cond, code, parts...) throws Error(code, parts...) when cond is false.
#define FUNASR_CHECK(cond, code, ...)                      \
  do {                                                     \
    if (!(cond)) ::funasr::Fail((code), __VA_ARGS__);      \
  } while (0)

// Internal invariant: a failure is a libfunasr bug, reported with file and line.
#define FUNASR_ASSERT(cond)                                                        \
  do {                                                                             \
    if (!(cond))                                                                   \
      ::funasr::Fail(::funasr::ErrorCode::kInternal, "internal check failed: ",    \
                     #cond, " at ", __FILE__, ":", __LINE__);                      \
  } while (0)
