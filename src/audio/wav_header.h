// Truncation check for RIFF/WAVE files.
//
// libsndfile silently shortens a WAV whose data chunk runs past the end of the file (it
// logs "data : N (should be M)" and reads what is there), so a half-copied or cut-off file
// would be transcribed as if complete. This walks the RIFF chunks to the data chunk and
// compares its declared size with the bytes present.
#pragma once

#include <cstdint>
#include <string>

namespace funasr::audio {

struct WavDataExtent {
  bool found = false;         // a RIFF/WAVE file with a data chunk
  uint32_t declared = 0;      // data size in the chunk header
  uint64_t available = 0;     // bytes from the data start to the end of the file
  // Streaming writers leave 0 or 0xFFFFFFFF as a placeholder size; such files are not
  // treated as truncated (libsndfile then reads to the end of the file).
  bool truncated() const {
    return found && declared != 0 && declared != 0xFFFFFFFFu && declared > available;
  }
};

// Reads the chunk headers of `path`; found = false for anything that is not RIFF/WAVE.
WavDataExtent ReadWavDataExtent(const std::string& path);

}  // namespace funasr::audio
