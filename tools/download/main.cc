// funasr-download: fetches released FunASR models into the local model cache.
//
//   funasr-download paraformer-zh ct-punc-c        # -> ~/.cache/funasr/<name>/
//   funasr-transcribe --asr-model ~/.cache/funasr/paraformer-zh ...
//
// Exit codes: 0 every model present, 1 a model failed, 2 bad usage, 3 offline (no source
// reachable; one line on stderr says how to use a model directory instead).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "http_fetch.h"
#include "model_catalog.h"
#include "model_download.h"

using namespace funasr::download;

namespace {
constexpr int kExitOk = 0, kExitFailed = 1, kExitUsage = 2, kExitOffline = 3;
}

int main(int argc, char** argv) {
  std::vector<std::string> names;
  DownloadOptions o;
  o.cache_dir = DefaultCacheDir();
  bool list = false, quiet = false, print_dir = false;
  CLI::App app{
      "funasr-download: fetches released FunASR models (ModelScope, else Hugging Face) into "
      "a local model cache. Files arrive in <cache>/.partial/<name>/ and resume after an "
      "interruption; a model is installed as <cache>/<name>/ only once every required file is "
      "there and the checkpoint parses.\n\nExit codes: 0 ok, 1 a model failed, 2 bad usage, "
      "3 offline.",
      "funasr-download"};
  app.add_option("MODEL", names,
                 "Model names (see --list) or hub ids such as "
                 "iic/punc_ct-transformer_zh-cn-common-vocab272727-pytorch");
  app.add_option("--cache-dir", o.cache_dir,
                 "Model cache ($FUNASR_MODEL_CACHE, else ~/.cache/funasr)")
      ->capture_default_str();
  app.add_option("--source", o.source, "Where from: auto (ModelScope, then Hugging Face), "
                                       "modelscope, huggingface")
      ->check(CLI::IsMember({"auto", "modelscope", "huggingface"}))
      ->capture_default_str();
  app.add_option("--base-url", o.base_url,
                 "A mirror serving <base-url>/<hub id>/<file> (replaces --source)");
  app.add_option("--retries", o.retries, "Resumed attempts per file after an interruption")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app.add_option("--connect-timeout", o.connect_timeout_s, "Seconds to wait for a connection")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  app.add_option("--stall-timeout", o.stall_timeout_s,
                 "Abort a transfer after this many seconds without data (then resume)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_flag("--list", list, "List the known models and exit");
  app.add_flag("--print-dir", print_dir, "Print each model's directory on stdout");
  app.add_flag("--quiet,-q", quiet, "No progress (shown only on a terminal)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "funasr-download: " << e.what() << "\nRun with --help for the options.\n";
    return kExitUsage;
  }
  if (list) {
    for (const auto& m : Catalog()) {
      std::cout << m.name << "\t" << m.modelscope_id << "\t" << m.description << "\n";
    }
    return kExitOk;
  }
  if (names.empty()) {
    std::cerr << "funasr-download: no model given (see --list)\n";
    return kExitUsage;
  }
  std::vector<ModelSpec> specs;
  for (const auto& n : names) {
    auto spec = FindModel(n);
    if (!spec) {
      std::cerr << "funasr-download: unknown model '" << n << "' (see --list, or give a hub id "
                << "owner/name)\n";
      return kExitUsage;
    }
    specs.push_back(*spec);
  }
  o.progress = !quiet && ::isatty(STDERR_FILENO);

  HttpGlobalInit();
  int failed = 0;
  bool offline = false;
  for (const auto& spec : specs) {
    const DownloadReport r = DownloadModel(spec, o);
    switch (r.outcome) {
      case Outcome::kDownloaded:
      case Outcome::kAlreadyPresent:
        if (!quiet) std::cerr << "funasr-download: " << spec.name << ": " << r.message << ": " << r.dir << "\n";
        if (print_dir) std::cout << r.dir << "\n";
        break;
      case Outcome::kOffline:
        // One line: what happened and how to do without the download.
        std::cerr << "funasr-download: offline, cannot fetch " << spec.name << ": " << r.message
                  << "; copy the model's files (config.yaml, model.pt, ...) to " << r.dir
                  << "/ or pass that directory directly, e.g. funasr-transcribe --asr-model DIR"
                  << "\n";
        offline = true;
        break;
      case Outcome::kFailed:
        std::cerr << "funasr-download: " << spec.name << ": " << r.message << "\n";
        ++failed;
        break;
    }
    if (offline) break;  // the next models cannot be reached either
  }
  HttpGlobalCleanup();
  if (failed) return kExitFailed;
  return offline ? kExitOffline : kExitOk;
}
