// FsmnVadModel: a loaded FSMN-VAD (FunASR FsmnVADStreaming) — frontend options + CMVN,
// the FSMN network and the post-processing config. Immutable after loading and shared by
// threads; every stream keeps its own state in an FsmnVadSession.
#pragma once

#include <memory>
#include <string>

#include "frontend/wav_frontend.h"
#include "models/vad/fsmn_encoder.h"
#include "models/vad/vad_config.h"

namespace funasr::io {
class ModelFiles;
}

namespace funasr::vad {

class FsmnVadModel {
 public:
  // A released directory (config.yaml/model.pt/am.mvn or legacy vad.yaml/vad.pb/vad.mvn)
  // or a native file. Throws Unsupported when the files hold another model class.
  static std::shared_ptr<const FsmnVadModel> Load(const std::string& path);
  explicit FsmnVadModel(const io::ModelFiles& files);

  const VadConfig& config() const { return config_; }
  const FsmnEncoder& encoder() const { return *encoder_; }
  const frontend::WavFrontend& frontend() const { return *frontend_; }
  int sample_rate() const { return frontend_->options().fs; }

 private:
  VadConfig config_;
  std::unique_ptr<FsmnEncoder> encoder_;
  std::unique_ptr<frontend::WavFrontend> frontend_;
};

}  // namespace funasr::vad
