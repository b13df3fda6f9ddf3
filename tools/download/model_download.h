// Downloading a released model into the local model cache, safely:
//   * files arrive in <cache>/.partial/<name>/ (as <file>.part until complete), so an
//     interrupted run resumes where it stopped and never leaves a half-written model in
//     <cache>/<name>/;
//   * the model is checked before it is installed: every required file present and non-empty,
//     config.yaml and the checkpoint parse (every tensor read);
//   * it is installed with one rename of the finished directory.
#pragma once

#include <string>

#include "model_catalog.h"

namespace funasr::download {

// $FUNASR_MODEL_CACHE, else $XDG_CACHE_HOME/funasr, else ~/.cache/funasr.
std::string DefaultCacheDir();

struct DownloadOptions {
  std::string cache_dir;              // where <name>/ is installed
  std::string source = "auto";        // "modelscope", "huggingface", "auto" (both in turn)
  std::string base_url;               // a mirror: <base_url>/<hub id>/<file> (overrides source)
  int retries = 3;                    // resumed attempts per file after an interruption
  long connect_timeout_s = 15;
  long stall_timeout_s = 60;
  bool progress = false;
};

enum class Outcome { kDownloaded, kAlreadyPresent, kFailed, kOffline };

struct DownloadReport {
  Outcome outcome = Outcome::kFailed;
  std::string dir;       // the installed model directory (kDownloaded / kAlreadyPresent)
  std::string message;   // one line
};

DownloadReport DownloadModel(const ModelSpec& spec, const DownloadOptions& options);

// Checks a model directory; "" when it is complete and parses, else the problem (one line).
std::string VerifyModelDir(const std::string& dir, const ModelSpec& spec);

}  // namespace funasr::download
