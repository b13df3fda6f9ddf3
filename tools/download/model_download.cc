#include "model_download.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <vector>

#include "http_fetch.h"
#include "io/model_files.h"

namespace fs = std::filesystem;

namespace funasr::download {
namespace {

struct Source {
  std::string name;  // for messages
  std::string host;
  std::function<std::string(const std::string& file)> url;
  std::string Url(const std::string& file) const { return url(file); }
};

std::vector<Source> Sources(const ModelSpec& spec, const DownloadOptions& o) {
  std::vector<Source> out;
  if (!o.base_url.empty()) {
    std::string base = o.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    const std::string id = spec.modelscope_id;
    out.push_back({"mirror", base, [base, id](const std::string& f) { return base + "/" + id + "/" + f; }});
    return out;
  }
  if (o.source == "modelscope" || o.source == "auto") {
    const std::string id = spec.modelscope_id;
    out.push_back({"ModelScope", "www.modelscope.cn", [id](const std::string& f) {
                     return "https://www.modelscope.cn/api/v1/models/" + id +
                            "/repo?Revision=master&FilePath=" + f;
                   }});
  }
  if ((o.source == "huggingface" || o.source == "auto") && !spec.huggingface_id.empty()) {
    const std::string id = spec.huggingface_id;
    out.push_back({"Hugging Face", "huggingface.co", [id](const std::string& f) {
                     return "https://huggingface.co/" + id + "/resolve/main/" + f;
                   }});
  }
  return out;
}

// An exclusive lock on <cache>/.partial/<name>.lock for the duration of a download, so two
// processes never write the same partial directory.
class DirLock {
 public:
  explicit DirLock(const std::string& path) {
    fd_ = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool locked() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

enum class FileOutcome { kOk, kAbsent, kFailed, kUnreachable };

FileOutcome FetchOne(const Source& src, const std::string& file, const fs::path& partial,
                     const DownloadOptions& o, std::string* message) {
  const fs::path final_path = partial / file;
  if (fs::exists(final_path)) return FileOutcome::kOk;  // complete from an earlier run
  const std::string part = (partial / (file + ".part")).string();
  FetchOptions fo;
  fo.connect_timeout_s = o.connect_timeout_s;
  fo.stall_timeout_s = o.stall_timeout_s;
  fo.progress = o.progress;
  fo.label = file;
  for (int attempt = 0;; ++attempt) {
    const FetchResult r = FetchToFile(src.Url(file), part, fo);
    switch (r.status) {
      case FetchStatus::kOk:
        fs::rename(part, final_path);
        return FileOutcome::kOk;
      case FetchStatus::kNotFound:
        *message = file + ": not found on " + src.name + " (" + r.message + ")";
        return FileOutcome::kAbsent;
      case FetchStatus::kUnreachable:
        *message = r.message;
        return FileOutcome::kUnreachable;
      case FetchStatus::kHttpError:
        *message = file + ": " + r.message;
        return FileOutcome::kFailed;
      case FetchStatus::kInterrupted:
        if (attempt < o.retries) continue;  // resume from what arrived
        *message = file + ": " + r.message + " (partial data kept; run again to resume)";
        return FileOutcome::kFailed;
    }
  }
}

}  // namespace

std::string DefaultCacheDir() {
  if (const char* c = std::getenv("FUNASR_MODEL_CACHE"); c && *c) return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/funasr";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.cache/funasr";
}

std::string VerifyModelDir(const std::string& dir, const ModelSpec& spec) {
  for (const auto& f : spec.required) {
    std::error_code ec;
    const auto size = fs::file_size(fs::path(dir) / f, ec);
    if (ec) return f + " is missing";
    if (size == 0) return f + " is empty";
  }
  try {
    auto files = io::ModelFiles::Open(dir);
    size_t n = 0;
    for (const auto& name : files->TensorNames()) {
      files->GetTensor(name);  // reads and checks every tensor of the checkpoint
      ++n;
    }
    if (n == 0) return "the checkpoint holds no tensors";
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

DownloadReport DownloadModel(const ModelSpec& spec, const DownloadOptions& o) {
  DownloadReport report;
  const fs::path cache(o.cache_dir);
  const fs::path final_dir = cache / spec.name;
  report.dir = final_dir.string();
  std::string existing_problem;
  if (fs::exists(final_dir)) {
    existing_problem = VerifyModelDir(final_dir.string(), spec);
    if (existing_problem.empty()) {
      report.outcome = Outcome::kAlreadyPresent;
      report.message = "already present";
      return report;
    }
  }
  std::error_code ec;
  const fs::path partial_root = cache / ".partial";
  fs::create_directories(partial_root, ec);
  if (ec) {
    report.message = "cannot create " + partial_root.string() + ": " + ec.message();
    return report;
  }
  DirLock lock((partial_root / (spec.name + ".lock")).string());
  if (!lock.locked()) {
    report.message = "another funasr-download is fetching " + spec.name + " right now";
    return report;
  }
  const fs::path partial = partial_root / spec.name;
  fs::create_directories(partial, ec);

  const std::vector<Source> sources = Sources(spec, o);
  if (sources.empty()) {
    report.message = "no source for " + spec.name + " with --source " + o.source;
    return report;
  }
  std::vector<std::string> unreachable;
  std::string failure;
  for (size_t s = 0; s < sources.size(); ++s) {
    const Source& src = sources[s];
    // Files of one source only: start over if an earlier run used another one.
    const fs::path origin = partial / ".source";
    {
      std::string previous;
      if (std::FILE* f = std::fopen(origin.c_str(), "r")) {
        char buf[256] = "";
        if (std::fgets(buf, sizeof(buf), f)) previous = buf;
        std::fclose(f);
      }
      const std::string current = src.Url("");
      if (!previous.empty() && previous != current) {
        fs::remove_all(partial, ec);
        fs::create_directories(partial, ec);
      }
      if (std::FILE* f = std::fopen(origin.c_str(), "w")) {
        std::fputs(current.c_str(), f);
        std::fclose(f);
      }
    }
    bool ok = true, offline = false;
    for (const auto& file : spec.required) {
      std::string msg;
      const FileOutcome r = FetchOne(src, file, partial, o, &msg);
      if (r == FileOutcome::kOk) continue;
      ok = false;
      offline = r == FileOutcome::kUnreachable;
      failure = offline ? "" : msg;
      if (offline) unreachable.push_back(src.host + " (" + msg + ")");
      break;
    }
    if (ok) {
      for (const auto& file : spec.optional) {
        std::string msg;
        const FileOutcome r = FetchOne(src, file, partial, o, &msg);
        if (r == FileOutcome::kFailed || r == FileOutcome::kUnreachable) {
          ok = false;
          failure = msg;
          break;
        }
      }
    }
    if (!ok) continue;  // next source

    const std::string problem = VerifyModelDir(partial.string(), spec);
    if (!problem.empty()) {
      // Complete but unusable (corrupt or not a FunASR model): nothing to resume from.
      fs::remove_all(partial, ec);
      report.message = "downloaded files failed verification: " + problem +
                       " (removed; nothing was installed)";
      return report;
    }
    fs::remove(origin, ec);
    if (fs::exists(final_dir)) {
      const fs::path old = cache / (".old-" + spec.name + "-" + std::to_string(::getpid()));
      fs::rename(final_dir, old, ec);
      fs::rename(partial, final_dir, ec);
      fs::remove_all(old);
    } else {
      fs::rename(partial, final_dir, ec);
    }
    if (ec) {
      report.message = "cannot install into " + final_dir.string() + ": " + ec.message();
      return report;
    }
    report.outcome = Outcome::kDownloaded;
    report.message = "downloaded from " + src.name;
    return report;
  }
  if (failure.empty() && unreachable.size() == sources.size()) {
    report.outcome = Outcome::kOffline;
    std::string hosts;
    for (const auto& u : unreachable) hosts += (hosts.empty() ? "" : ", ") + u;
    report.message = "cannot reach " + hosts;
    return report;
  }
  report.message = failure.empty() ? "download failed" : failure;
  if (!existing_problem.empty()) report.message += "; the existing " + final_dir.string() +
                                                   " is unusable: " + existing_problem;
  return report;
}

}  // namespace funasr::download
