#include "http_fetch.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <string>

namespace funasr::download {
namespace {

int64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

struct Transfer {
  std::string part_path;
  int64_t existing = 0;     // bytes in the part file before this request
  FILE* out = nullptr;
  long status = 0;          // status of the last response (after redirects)
  int64_t total = -1;       // full size of the file when the server says it
  std::string error_body;   // the start of an error response
  bool write_failed = false;
  bool progress = false;
  std::string label;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (a redirect's or the final one): reset what it tells.
    const size_t sp = line.find(' ');
    t->status = sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10);
    t->total = -1;
  } else if (line.size() > 15 && (line[0] == 'C' || line[0] == 'c')) {
    std::string lower = line;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("content-range:", 0) == 0) {
      const size_t slash = lower.find('/');
      if (slash != std::string::npos && lower[slash + 1] != '*') {
        t->total = std::strtoll(lower.c_str() + slash + 1, nullptr, 10);
      }
    } else if (lower.rfind("content-length:", 0) == 0 && t->status == 200) {
      t->total = std::strtoll(lower.c_str() + 15, nullptr, 10);
    }
  }
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t bytes = size * n;
  if (t->status != 200 && t->status != 206) {
    if (t->error_body.size() < 200) t->error_body.append(data, std::min<size_t>(bytes, 200));
    return bytes;
  }
  if (!t->out) {
    // 206: the server continues the part; 200: it sends the whole file again.
    t->out = std::fopen(t->part_path.c_str(), t->status == 206 ? "ab" : "wb");
    if (!t->out) {
      t->write_failed = true;
      return 0;
    }
  }
  if (std::fwrite(data, 1, bytes, t->out) != bytes) {
    t->write_failed = true;
    return 0;
  }
  return bytes;
}

int OnProgress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->progress && dltotal > 0) {
    const double done = static_cast<double>(t->existing + dlnow) / 1e6;
    const double all = static_cast<double>(t->existing + dltotal) / 1e6;
    std::fprintf(stderr, "\r\033[K  %s %.1f / %.1f MB", t->label.c_str(), done, all);
  }
  return 0;
}

}  // namespace

void HttpGlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
void HttpGlobalCleanup() { curl_global_cleanup(); }

FetchResult FetchToFile(const std::string& url, const std::string& part_path,
                        const FetchOptions& options) {
  FetchResult result;
  for (int attempt = 0; attempt < 2; ++attempt) {  // a second attempt only after HTTP 416
    Transfer t;
    t.part_path = part_path;
    t.existing = std::max<int64_t>(FileSize(part_path), 0);
    t.progress = options.progress;
    t.label = options.label;
    CURL* curl = curl_easy_init();
    if (!curl) {
      result.status = FetchStatus::kInterrupted;
      result.message = "libcurl could not start a transfer";
      return result;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "libfunasr-download/0.1");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_s);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, options.progress ? 0L : 1L);
    if (t.existing > 0) curl_easy_setopt(curl, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(t.existing));
    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    if (t.out) std::fclose(t.out);
    if (options.progress) std::fprintf(stderr, "\r\033[K");
    result.http_code = t.status;
    result.size = std::max<int64_t>(FileSize(part_path), 0);
    result.resumed = t.status == 206;

    if (t.write_failed) {
      result.status = FetchStatus::kInterrupted;
      result.message = "cannot write " + part_path;
      return result;
    }
    if (t.status == 416 && attempt == 0) {
      // The part is not a prefix the server can continue (e.g. the file changed): restart.
      std::remove(part_path.c_str());
      continue;
    }
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY ||
        rc == CURLE_COULDNT_CONNECT || (rc == CURLE_OPERATION_TIMEDOUT && t.status == 0)) {
      result.status = FetchStatus::kUnreachable;
      result.message = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      return result;
    }
    if (t.status == 404 || t.status == 410) {
      result.status = FetchStatus::kNotFound;
      result.message = "HTTP " + std::to_string(t.status) + " for " + url;
      return result;
    }
    if (t.status >= 400 || (rc == CURLE_OK && t.status != 200 && t.status != 206)) {
      result.status = FetchStatus::kHttpError;
      result.message = "HTTP " + std::to_string(t.status) + " for " + url;
      return result;
    }
    if (rc != CURLE_OK) {
      result.status = FetchStatus::kInterrupted;
      result.message = std::string("transfer interrupted after ") + std::to_string(result.size) +
                       " bytes: " + (errbuf[0] ? errbuf : curl_easy_strerror(rc));
      return result;
    }
    if (t.total >= 0 && result.size != t.total) {
      result.status = FetchStatus::kInterrupted;
      result.message = "got " + std::to_string(result.size) + " of " + std::to_string(t.total) +
                       " bytes";
      return result;
    }
    result.status = FetchStatus::kOk;
    return result;
  }
  result.status = FetchStatus::kHttpError;
  result.message = "HTTP 416 (range not satisfiable) twice for " + url;
  return result;
}

}  // namespace funasr::download
