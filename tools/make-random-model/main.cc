// funasr-make-random-model: writes a random-weight model with FunASR's exact tensor names
// and shapes, by default at the released size (paraformer-large: 220M parameters; CT-punc:
// vocabulary 272727), as a released directory and/or a native file.
//
//   funasr-make-random-model --model paraformer --assets ../shared/models/paraformer-zh-assets \
//       --out-dir /tmp/paraformer-large-random [--native /tmp/paraformer-large.fnm --dtype f32]
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <sys/stat.h>

#include "funasr/error.h"
#include "io/cmvn_file.h"
#include "io/model_directory_writer.h"
#include "io/native_model_writer.h"
#include "io/random_model.h"
#include "io/token_list.h"

namespace {
bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write a random-weight FunASR model (released directory and/or native file)"};
  std::string kind = "paraformer", assets, out_dir, native, dtype = "f32";
  uint64_t seed = 1;
  bool tiny = false;
  int64_t encoder_blocks = 0, decoder_blocks = 0;
  app.add_option("--model", kind, "paraformer | bicif | seaco | contextual | ct-punc | ct-punc-realtime")
      ->check(CLI::IsMember({"paraformer", "bicif", "seaco", "contextual", "ct-punc", "ct-punc-realtime"}));
  app.add_option("--assets", assets,
                 "directory with tokens.json (and am.mvn for ASR) to copy, e.g. "
                 "../shared/models/paraformer-zh-assets or ct-punc-assets; synthetic ones otherwise");
  app.add_option("--out-dir", out_dir, "write a released model directory here");
  app.add_option("--native", native, "write a native model file here");
  app.add_option("--dtype", dtype, "native weight type")->check(CLI::IsMember({"f32", "f16", "int8"}));
  app.add_option("--seed", seed, "random seed");
  app.add_flag("--tiny", tiny, "use the tiny dimensions of the reference models instead of the released ones");
  app.add_option("--encoder-blocks", encoder_blocks, "override the number of encoder blocks");
  app.add_option("--decoder-blocks", decoder_blocks, "override the number of decoder blocks");
  CLI11_PARSE(app, argc, argv);
  if (out_dir.empty() && native.empty()) {
    std::fprintf(stderr, "funasr-make-random-model: give --out-dir and/or --native\n");
    return 2;
  }
  try {
    using namespace funasr::io;
    RandomModelOptions o;
    o.kind = ParseRandomModelKind(kind);
    o.seed = seed;
    bool punc = o.kind == RandomModelKind::kCtPunc || o.kind == RandomModelKind::kCtPuncRealtime;
    if (punc) o.UsePuncDefaults();
    if (tiny) o.UseTinyReferenceDims();
    if (encoder_blocks > 0) o.encoder_blocks = encoder_blocks;
    if (decoder_blocks > 0) o.decoder_blocks = decoder_blocks;
    std::vector<std::string> tokens;
    std::optional<Cmvn> cmvn;
    if (!assets.empty()) {
      std::string tj = assets + "/tokens.json", tt = assets + "/tokens.txt";
      tokens = LoadTokenList(Exists(tj) ? tj : tt);
      o.vocab = static_cast<int64_t>(tokens.size());
      if (!punc && Exists(assets + "/am.mvn")) cmvn = LoadCmvn(assets + "/am.mvn");
    }
    auto t0 = std::chrono::steady_clock::now();
    auto model = MakeRandomModel(o, std::move(tokens), std::move(cmvn));
    int64_t params = 0;
    for (const auto& n : model->TensorNames()) params += model->GetTensor(n).numel();
    auto t1 = std::chrono::steady_clock::now();
    std::printf("%s: %zu tensors, %lld parameters (generated in %.1f s)\n", model->model_class().c_str(),
                model->TensorNames().size(), static_cast<long long>(params),
                std::chrono::duration<double>(t1 - t0).count());
    if (!out_dir.empty()) {
      WriteModelDirectory(*model, out_dir, "random:" + kind);
      std::printf("wrote %s\n", out_dir.c_str());
    }
    if (!native.empty()) {
      auto stats = WriteNativeModel(*model, native, ParseNativeDType(dtype));
      std::printf("wrote %s (%.1f MB, %s)\n", native.c_str(), stats.file_bytes / 1e6, dtype.c_str());
    }
  } catch (const funasr::Error& e) {
    std::fprintf(stderr, "funasr-make-random-model: %s\n", e.what());
    return 1;
  }
  return 0;
}
