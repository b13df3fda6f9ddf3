// The public funasr::VadModel / VadStream (include/funasr/vad.h) over FsmnVadModel and
// FsmnVadSession.
#include <memory>

#include "funasr/vad.h"
#include "models/vad/fsmn_vad_model.h"
#include "models/vad/fsmn_vad_session.h"

namespace funasr {

namespace {

class VadStreamImpl : public VadStream {
 public:
  VadStreamImpl(std::shared_ptr<const vad::FsmnVadModel> model, const VadOptions& options)
      : sample_rate_(model->sample_rate()),
        session_(std::move(model), options, /*streaming_format=*/true) {}

  std::vector<VadSegment> AcceptWaveform(const float* samples, size_t n,
                                         bool is_final) override {
    return session_.Accept(samples, n, is_final);
  }
  void Reset() override { session_.Reset(); }
  int64_t received_ms() const override {
    return session_.received_samples() * 1000 / sample_rate_;
  }

 private:
  int sample_rate_;
  vad::FsmnVadSession session_;
};

class VadModelImpl : public VadModel {
 public:
  explicit VadModelImpl(std::shared_ptr<const vad::FsmnVadModel> model)
      : model_(std::move(model)) {}

  std::vector<VadSegment> Detect(const float* samples, size_t n,
                                 const VadOptions& options) const override {
    vad::FsmnVadSession session(model_, options, /*streaming_format=*/false);
    return session.Accept(samples, n, /*is_final=*/true);
  }

  std::unique_ptr<VadStream> CreateStream(const VadOptions& options) const override {
    return std::make_unique<VadStreamImpl>(model_, options);
  }

  int sample_rate() const override { return model_->sample_rate(); }

 private:
  std::shared_ptr<const vad::FsmnVadModel> model_;
};

}  // namespace

std::shared_ptr<const VadModel> VadModel::Load(const std::string& path) {
  return std::make_shared<const VadModelImpl>(vad::FsmnVadModel::Load(path));
}

}  // namespace funasr
