// funasr-features: decode an audio file and compute FunASR's encoder input features
// (Kaldi fbank -> LFR -> CMVN), printing their shape and summary statistics.
//
//   funasr-features speech.wav                                  # Paraformer LFR 7/6, no CMVN
//   funasr-features speech.wav --lfr-m 5 --lfr-n 1 --cmvn vad/am.mvn
//   funasr-features speech.wav --model models/paraformer-zh      # frontend_conf + am.mvn
//   funasr-features speech.mp3 --chunk-ms 100 --npy feats.npy    # streaming frontend, save
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "funasr/audio.h"
#include "funasr/error.h"
#include "frontend/online_frontend.h"
#include "frontend/wav_frontend.h"
#include "io/cmvn_file.h"
#include "io/config_file.h"
#include "io/model_files.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

struct Stats {
  float min = 0, max = 0;
  double mean = 0, stddev = 0;
};

Stats Summarise(const float* x, size_t n) {
  Stats s;
  if (n == 0) return s;
  s.min = *std::min_element(x, x + n);
  s.max = *std::max_element(x, x + n);
  double sum = 0, sq = 0;
  for (size_t i = 0; i < n; ++i) sum += x[i];
  s.mean = sum / n;
  for (size_t i = 0; i < n; ++i) sq += (x[i] - s.mean) * (x[i] - s.mean);
  s.stddev = std::sqrt(sq / n);
  return s;
}

void PrintMatrix(const char* name, const funasr::Tensor& t) {
  const size_t n = static_cast<size_t>(t.numel());
  const Stats s = Summarise(t.data<float>(), n);
  std::printf("%-9s [%lld, %lld]  min %9.4f  max %9.4f  mean %9.4f  std %8.4f\n", name,
              static_cast<long long>(t.dim(0)), static_cast<long long>(t.dim(1)), s.min, s.max,
              s.mean, s.stddev);
}

// Writes a [rows, cols] float32 C-order .npy file.
void WriteNpy(const std::string& path, const funasr::Tensor& t) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(t.dim(0)) + ", " + std::to_string(t.dim(1)) + "), }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header.push_back('\n');
  std::ofstream out(path, std::ios::binary);
  if (!out) throw funasr::Error(funasr::ErrorCode::kIoError, "cannot write " + path);
  const unsigned char magic[] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.write(reinterpret_cast<const char*>(magic), sizeof magic);
  const uint16_t len = static_cast<uint16_t>(header.size());
  out.put(static_cast<char>(len & 0xff)).put(static_cast<char>(len >> 8));
  out << header;
  out.write(static_cast<const char*>(t.raw_data()), static_cast<std::streamsize>(t.nbytes()));
  if (!out) throw funasr::Error(funasr::ErrorCode::kIoError, "error writing " + path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compute FunASR's encoder input features (Kaldi fbank -> LFR -> CMVN) of an audio file"};
  std::string audio_path, model_dir, cmvn_path, npy_path;
  int lfr_m = 7, lfr_n = 6;
  double chunk_ms = 0;
  app.add_option("audio", audio_path, "Audio file (wav, flac, ogg, mp3, ...; any rate/channels)")
      ->required();
  app.add_option("--model", model_dir,
                 "FunASR model directory: take frontend_conf from its config.yaml and CMVN from am.mvn");
  app.add_option("--lfr-m", lfr_m, "LFR frames stacked (Paraformer 7, FSMN-VAD 5)")->capture_default_str();
  app.add_option("--lfr-n", lfr_n, "LFR hop (Paraformer 6, FSMN-VAD 1)")->capture_default_str();
  app.add_option("--cmvn", cmvn_path, "am.mvn (Kaldi nnet1 text) to normalise with");
  app.add_option("--chunk-ms", chunk_ms,
                 "Feed the audio to the streaming frontend in chunks of this many ms");
  app.add_option("--npy", npy_path, "Write the features to this .npy file");
  CLI11_PARSE(app, argc, argv);

  try {
    funasr::frontend::WavFrontendOptions opts;
    opts.lfr_m = lfr_m;
    opts.lfr_n = lfr_n;
    std::optional<funasr::io::Cmvn> cmvn;
    if (!model_dir.empty()) {
      // Only config.yaml and am.mvn are needed, not the weights.
      const std::string config_path = (fs::path(model_dir) / "config.yaml").string();
      std::ifstream in(config_path);
      if (!in) throw funasr::Error(funasr::ErrorCode::kIoError, "cannot read " + config_path);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const YAML::Node config = funasr::io::ParseConfigYaml(text, config_path);
      opts = funasr::frontend::WavFrontendOptions::FromConfig(
          funasr::io::ConfigReader(config, config_path).Section("frontend_conf"));
      const fs::path mvn = fs::path(model_dir) / "am.mvn";
      if (cmvn_path.empty() && fs::exists(mvn)) cmvn_path = mvn.string();
    }
    if (!cmvn_path.empty()) cmvn = funasr::io::LoadCmvn(cmvn_path);

    const auto t0 = Clock::now();
    const funasr::AudioInfo info = funasr::ProbeAudio(audio_path);
    const std::vector<float> samples = funasr::LoadAudio(audio_path, opts.fs);
    const auto t1 = Clock::now();
    const funasr::frontend::WavFrontend frontend(opts, cmvn);
    const funasr::Tensor fbank =
        frontend.ComputeFbank(samples.data(), static_cast<int64_t>(samples.size()));
    funasr::Tensor feats;
    if (chunk_ms > 0) {
      // Streaming: concatenate the rows of every chunk.
      const size_t chunk = std::max<size_t>(1, static_cast<size_t>(chunk_ms * opts.fs / 1000));
      funasr::frontend::OnlineWavFrontend online(frontend);
      std::vector<float> rows;
      for (size_t pos = 0; pos < samples.size(); pos += chunk) {
        const size_t n = std::min(chunk, samples.size() - pos);
        const auto out = online.AcceptWaveform(samples.data() + pos, static_cast<int64_t>(n),
                                               pos + n == samples.size());
        rows.insert(rows.end(), out.features.data<float>(),
                    out.features.data<float>() + out.features.numel());
      }
      feats = funasr::Tensor::FromVector(
          {static_cast<int64_t>(rows.size() / frontend.output_dim()), frontend.output_dim()}, rows);
    } else {
      feats = frontend.LfrCmvn(fbank);
    }
    const auto t2 = Clock::now();

    const double duration = static_cast<double>(samples.size()) / opts.fs;
    std::printf("audio     %s\n", audio_path.c_str());
    std::printf("source    %s, %d Hz, %d channel(s), %.3f s\n", info.format.c_str(),
                info.sample_rate, info.channels, info.duration_seconds());
    std::printf("decoded   %zu samples at %d Hz mono (%.3f s)\n", samples.size(), opts.fs, duration);
    std::printf("frontend  %d mel bins, %g/%g ms %s window, LFR m=%d n=%d, CMVN %s%s\n", opts.n_mels,
                opts.frame_length, opts.frame_shift, opts.window.c_str(), opts.lfr_m, opts.lfr_n,
                cmvn ? cmvn_path.c_str() : "none",
                chunk_ms > 0 ? (", streaming " + std::to_string(chunk_ms) + " ms chunks").c_str() : "");
    PrintMatrix("fbank", fbank);
    PrintMatrix("features", feats);
    if (feats.dim(0) > 0) {
      std::printf("row 0     ");
      for (int i = 0; i < std::min<int64_t>(8, feats.dim(1)); ++i)
        std::printf("%.4f ", feats.data<float>()[i]);
      std::printf("...\n");
    }
    const double compute = Seconds(t1, t2);
    std::printf("time      decode %.1f ms, features %.1f ms (RTF %.5f)\n", 1e3 * Seconds(t0, t1),
                1e3 * compute, duration > 0 ? compute / duration : 0.0);
    if (!npy_path.empty()) {
      WriteNpy(npy_path, feats);
      std::printf("wrote     %s\n", npy_path.c_str());
    }
  } catch (const funasr::Error& e) {
    std::fprintf(stderr, "funasr-features: %s\n", e.what());
    return 1;
  }
  return 0;
}
