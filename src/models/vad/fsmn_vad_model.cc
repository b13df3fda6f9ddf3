#include "models/vad/fsmn_vad_model.h"

#include "core/check.h"
#include "io/model_class.h"
#include "io/model_files.h"

namespace funasr::vad {

std::shared_ptr<const FsmnVadModel> FsmnVadModel::Load(const std::string& path) {
  auto files = io::ModelFiles::Open(path);
  return std::make_shared<const FsmnVadModel>(*files);
}

FsmnVadModel::FsmnVadModel(const io::ModelFiles& files) {
  io::CheckModelClass(files, {"FsmnVADStreaming"});
  const io::ConfigReader root(files.config(), files.config_path());
  // FunASR 1.x keeps the post-processing options in model_conf; the legacy vad.yaml in
  // vad_post_conf.
  const bool legacy = !root.Has("model_conf") && root.Has("vad_post_conf");
  config_ = VadConfig::FromConfig(root.Section(legacy ? "vad_post_conf" : "model_conf"));

  const io::ConfigReader encoder_conf = root.Section("encoder_conf");
  const FsmnEncoderConfig enc = FsmnEncoderConfig::FromConfig(encoder_conf);
  const io::ConfigReader frontend_conf = root.Section("frontend_conf");
  const auto fe = frontend::WavFrontendOptions::FromConfig(frontend_conf);

  // One score per VAD frame: the frontend's row hop must be the VAD frame.
  FUNASR_CHECK(fe.frame_shift * fe.lfr_n == config_.frame_in_ms, ErrorCode::kFormatError,
               files.config_path(), ": frontend_conf frame_shift * lfr_n (",
               fe.frame_shift * fe.lfr_n, " ms) must equal the VAD frame_in_ms (",
               config_.frame_in_ms, " ms)");
  FUNASR_CHECK(fe.frame_length == config_.frame_length_ms && fe.fs == config_.sample_rate,
               ErrorCode::kFormatError, files.config_path(),
               ": frontend_conf frame_length/fs must equal the VAD frame_length_ms/sample_rate");
  FUNASR_CHECK(fe.n_mels * fe.lfr_m == enc.input_dim, ErrorCode::kFormatError,
               files.config_path(), ": encoder_conf.input_dim (", enc.input_dim,
               ") must equal n_mels * lfr_m (", fe.n_mels * fe.lfr_m, ")");
  for (int id : config_.sil_pdf_ids)
    FUNASR_CHECK(id < enc.output_dim, ErrorCode::kFormatError, files.config_path(),
                 ": sil_pdf_ids entry ", id, " >= encoder_conf.output_dim ", enc.output_dim);
  FUNASR_CHECK(files.cmvn().has_value(), ErrorCode::kFormatError, files.path(),
               ": the FSMN-VAD needs am.mvn (CMVN), none found");
  frontend_ = std::make_unique<frontend::WavFrontend>(fe, files.cmvn());
  encoder_ = std::make_unique<FsmnEncoder>(enc, files);
}

}  // namespace funasr::vad
