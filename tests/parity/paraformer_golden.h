// Shared helpers of the Paraformer / BiCif parity tests: golden-case loading, comparisons
// that print the max error, a 16-bit wav reader.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/test_data.h"
#include "io/model_files.h"
#include "models/paraformer/paraformer_model.h"

namespace paraformer_test {

using funasr_test::FindData;
using funasr_test::LoadNpy;
using funasr_test::NpyArray;

inline const std::vector<std::string>& Cases() {
  static const std::vector<std::string> cases = {"zh_3s", "en_3s", "short_0p6s",
                                                 "asr_example_zh", "mix_20s"};
  return cases;
}

inline nlohmann::json LoadJson(const std::string& path) {
  return nlohmann::json::parse(funasr_test::ReadTextFile(path));
}

// Golden LFR+CMVN features of a reference wav ([T, 560]).
inline NpyArray Features(const std::string& wav) {
  const std::string p = FindData("reference/frontend/" + wav + "/lfr7_6_cmvn.npy");
  EXPECT_FALSE(p.empty()) << "features of " << wav << " not found";
  return LoadNpy(p);
}

inline std::shared_ptr<const funasr::models::ParaformerModel> LoadModel(
    const std::string& name, bool int8 = false) {
  const std::string dir = FindData("reference/models/" + name);
  if (dir.empty()) return nullptr;
  funasr::models::ParaformerLoadOptions o;
  o.quantize_int8 = int8;
  return funasr::models::ParaformerModel::Load(funasr::io::ModelFiles::Open(dir), o);
}

// max |a - b| over n values; prints it with `what`.
inline float ReportMaxErr(const std::string& what, const float* a, const float* b, size_t n) {
  float m = 0.f;
  for (size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  std::printf("  %-44s max abs err %.3g (%zu values)\n", what.c_str(), m, n);
  return m;
}

inline void ExpectClose(const std::string& what, const std::vector<float>& ours,
                        const NpyArray& golden, float tol) {
  ASSERT_EQ(static_cast<int64_t>(ours.size()), golden.numel()) << what << ": size differs";
  const float err = ReportMaxErr(what, ours.data(), golden.f32.data(), ours.size());
  EXPECT_LE(err, tol) << what;
}

// Relative error ||a - b|| / ||b||.
inline double RelErr(const float* a, const float* b, size_t n) {
  double num = 0, den = 0;
  for (size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(a[i]) - b[i];
    num += d * d;
    den += static_cast<double>(b[i]) * b[i];
  }
  return den > 0 ? std::sqrt(num / den) : std::sqrt(num);
}

// Mono 16-bit PCM wav -> float samples (int16 / 32768, as torchaudio.load).
inline std::vector<float> ReadWav16(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<float> out;
  size_t pos = 12;
  while (pos + 8 <= bytes.size()) {
    uint32_t size;
    std::memcpy(&size, &bytes[pos + 4], 4);
    if (std::memcmp(&bytes[pos], "data", 4) == 0) {
      const size_t n = std::min<size_t>(size, bytes.size() - pos - 8) / 2;
      out.resize(n);
      for (size_t i = 0; i < n; ++i) {
        int16_t s;
        std::memcpy(&s, &bytes[pos + 8 + 2 * i], 2);
        out[i] = static_cast<float>(s) / 32768.f;
      }
      return out;
    }
    pos += 8 + size + (size & 1);
  }
  ADD_FAILURE() << "no data chunk in " << path;
  return out;
}

// Compares one golden case: every intermediate FunASR dumped, with tolerances from
// reference/README.md §4 (and NUMERICS_BLAS_CHECK.json).
inline void CheckCase(const funasr::models::ParaformerModel& model, const std::string& model_dir,
                      const std::string& wav, bool bicif) {
  const std::string dir = "reference/" + model_dir + "/" + wav + "/";
  const NpyArray feats = Features(wav);
  ASSERT_EQ(feats.shape.size(), 2u);
  funasr::models::ParaformerState state;
  funasr::models::ParaformerRequest req;
  req.keep_intermediates = true;
  req.keep_log_probs = true;
  const funasr::models::ParaformerOutput out =
      model.RunOne(feats.f32.data(), feats.shape[0], state, req);
  const nlohmann::json meta = LoadJson(FindData(dir + "meta.json"));
  std::printf("[%s/%s] T=%lld N=%lld\n", model_dir.c_str(), wav.c_str(),
              static_cast<long long>(out.num_frames), static_cast<long long>(out.token_num));

  EXPECT_EQ(out.num_frames, meta["encoder_out_lens"].get<int64_t>());
  ExpectClose("encoder_out", out.encoder_out, LoadNpy(FindData(dir + "encoder_out.npy")), 2e-3f);
  ExpectClose("alphas", out.alphas, LoadNpy(FindData(dir + "alphas.npy")), 1e-4f);
  EXPECT_NEAR(out.alpha_sum, meta["alphas_sum"].get<double>(), 1e-3);
  EXPECT_EQ(out.token_num, meta["token_num"].get<int64_t>()) << "token count";
  ExpectClose("cif_peak", out.peaks, LoadNpy(FindData(dir + "cif_peak.npy")), 1e-4f);
  ExpectClose("acoustic_embeds", out.acoustic_embeds,
              LoadNpy(FindData(dir + "acoustic_embeds.npy")), 2e-3f);

  // Decoder log-probs: the full matrix where ../shared has it, else the committed top-10.
  const int64_t vocab = model.config().vocab_size;
  const std::string full = funasr_test::SharedData(dir + "decoder_logprobs.npy");
  if (!full.empty()) {
    ExpectClose("decoder_logprobs (full)", out.log_probs, LoadNpy(full), 2e-3f);
  }
  const NpyArray top_v = LoadNpy(FindData(dir + "decoder_logprobs_top10_values.npy"));
  const NpyArray top_i = LoadNpy(FindData(dir + "decoder_logprobs_top10_indices.npy"));
  ASSERT_EQ(top_v.shape[0], out.token_num);
  float top_err = 0.f;
  for (int64_t r = 0; r < top_v.shape[0]; ++r) {
    for (int64_t j = 0; j < top_v.shape[1]; ++j) {
      const int64_t id = top_i.i64[static_cast<size_t>(r * top_v.shape[1] + j)];
      const float g = top_v.f32[static_cast<size_t>(r * top_v.shape[1] + j)];
      top_err = std::max(top_err, std::fabs(out.log_probs[static_cast<size_t>(r * vocab + id)] - g));
    }
  }
  std::printf("  %-44s max abs err %.3g\n", "decoder_logprobs (golden top-10 entries)", top_err);
  EXPECT_LE(top_err, 2e-3f);

  const NpyArray argmax = LoadNpy(FindData(dir + "argmax_ids.npy"));
  EXPECT_EQ(out.argmax_ids, argmax.i64) << "argmax ids";
  const nlohmann::json ids = LoadJson(FindData(dir + "token_ids.json"));
  EXPECT_EQ(out.token_ids, ids["token_ids"].get<std::vector<int64_t>>()) << "token ids";

  if (bicif) {
    ExpectClose("us_alphas", out.us_alphas, LoadNpy(FindData(dir + "us_alphas.npy")), 1e-4f);
    ExpectClose("us_peaks", out.us_peaks, LoadNpy(FindData(dir + "us_peaks.npy")), 1e-4f);
    ExpectClose("ds_alphas", out.ds_alphas, LoadNpy(FindData(dir + "ds_alphas.npy")), 1e-4f);
    ExpectClose("ds_cif_peak", out.ds_peaks, LoadNpy(FindData(dir + "ds_cif_peak.npy")), 1e-4f);
  }
}

}  // namespace paraformer_test
