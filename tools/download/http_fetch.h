// One file over HTTP(S) with libcurl, resumable: bytes already in `part_path` are asked for
// again only from where they stop (Range), and a transfer that breaks leaves what arrived.
#pragma once

#include <cstdint>
#include <string>

namespace funasr::download {

enum class FetchStatus {
  kOk,           // the whole file is in part_path
  kNotFound,     // HTTP 404 (or 410)
  kHttpError,    // another HTTP error status
  kUnreachable,  // no connection at all (DNS, refused, connect timeout): offline
  kInterrupted,  // the transfer broke; part_path holds what arrived (resume later)
};

struct FetchOptions {
  long connect_timeout_s = 15;  // per connection attempt
  long stall_timeout_s = 60;    // abort when nothing arrives for this long
  bool progress = false;        // a progress line on stderr
  std::string label;            // file name for the progress line
};

struct FetchResult {
  FetchStatus status = FetchStatus::kOk;
  long http_code = 0;
  int64_t size = 0;         // bytes in part_path afterwards
  bool resumed = false;     // the server continued a partial file (206)
  std::string message;      // one line: what went wrong
};

FetchResult FetchToFile(const std::string& url, const std::string& part_path,
                        const FetchOptions& options);

// Call once before any fetch (curl_global_init), and the cleanup at exit.
void HttpGlobalInit();
void HttpGlobalCleanup();

}  // namespace funasr::download
