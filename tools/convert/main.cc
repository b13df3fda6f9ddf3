// funasr-convert: released FunASR model directory (or native file) -> libfunasr native file.
//
//   funasr-convert <model-dir> <out-file> [--dtype f32|f16|int8]
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "funasr/error.h"
#include "io/model_files.h"
#include "io/native_model_writer.h"

int main(int argc, char** argv) {
  CLI::App app{"Convert a released FunASR model directory into a libfunasr native model file"};
  std::string input, output, dtype = "f32";
  app.add_option("model", input, "released model directory (config.yaml, model.pt, ...) or native file")
      ->required();
  app.add_option("output", output, "native model file to write")->required();
  app.add_option("--dtype", dtype,
                 "weight type: f32 (exact copy), f16 (all float tensors), int8 (Linear weights, "
                 "per-output-channel scales; everything else f32)")
      ->check(CLI::IsMember({"f32", "f16", "int8"}));
  CLI11_PARSE(app, argc, argv);
  try {
    auto t0 = std::chrono::steady_clock::now();
    auto model = funasr::io::ModelFiles::Open(input);
    auto t1 = std::chrono::steady_clock::now();
    auto stats = funasr::io::WriteNativeModel(*model, output, funasr::io::ParseNativeDType(dtype));
    auto t2 = std::chrono::steady_clock::now();
    std::printf("%s: %s, %lld tensors (%lld int8, %lld f16), %lld parameters, %.1f MB; "
                "load %.2f s, write %.2f s\n",
                output.c_str(), model->model_class().c_str(), static_cast<long long>(stats.tensors),
                static_cast<long long>(stats.int8_tensors), static_cast<long long>(stats.f16_tensors),
                static_cast<long long>(stats.parameters), stats.file_bytes / 1e6,
                std::chrono::duration<double>(t1 - t0).count(),
                std::chrono::duration<double>(t2 - t1).count());
  } catch (const funasr::Error& e) {
    std::fprintf(stderr, "funasr-convert: %s\n", e.what());
    return 1;
  }
  return 0;
}
