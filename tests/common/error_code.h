// The ErrorCode a call fails with, for tests that check which error bad input gives.
#pragma once

#include <string>

#include "funasr/error.h"

namespace funasr_test {

// Runs fn; returns the code of the funasr::Error it throws (its message in *message when
// given), or kOk when it returns normally. Other exceptions propagate: they fail the test.
template <typename F>
funasr::ErrorCode CodeOf(F&& fn, std::string* message = nullptr) {
  try {
    fn();
  } catch (const funasr::Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  return funasr::ErrorCode::kOk;
}

}  // namespace funasr_test
