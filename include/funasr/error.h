// libfunasr: error reporting shared by every C++ API.
#pragma once

#include <stdexcept>
#include <string>

namespace funasr {

// Broad classes of failure; the C API maps them one to one onto its error codes.
enum class ErrorCode {
  kOk = 0,
  kInvalidArgument = 1,  // a caller-supplied value is out of range or malformed
  kIoError = 2,          // a file is missing, unreadable or truncated
  kFormatError = 3,      // a file was read but its content is not what it should be
  kUnsupported = 4,      // valid input this build or model cannot handle
  kCancelled = 5,        // the caller cancelled the request
  kInternal = 6,         // a bug in libfunasr
};

// Every failure libfunasr reports is thrown as funasr::Error; what() is a one-line
// message that names the offending file, key or tensor where there is one.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace funasr
