#include "formats.h"

namespace funasr::cli {

std::string FormatJson(const TranscriptionResult& result, int indent) {
  return ToAutoModelJson(result, indent);
}

}  // namespace funasr::cli
