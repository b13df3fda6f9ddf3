// ParaformerModel: offline (non-streaming) Paraformer and BiCif-Paraformer inference,
// paraformer-pipeline.md §2-§5 and §13:
//   features [T, n_mels*lfr_m] -> SanmEncoder -> CIF predictor (V2, or V3 for BiCif)
//   -> ParaformerSanmDecoder -> log_softmax -> greedy argmax -> drop blank/<s>/</s>
// plus, for BiCif, the upsampled timestamp alphas/peaks (§3.5) that the token timestamps
// (text/, ts_prediction_lfr6_standard) are computed from.
//
// The model is immutable after Load() and shared by any number of threads; everything a
// request mutates lives in a ParaformerState the caller owns (one per concurrent request).
//
// Batches: several utterances run in one forward pass (layers/packed_sequences.h). Each
// result equals running that utterance alone — FunASR's own batch artefacts (§14) are not
// reproduced; batch-1 behaviour is the reference.
//
// Hotword variants (SeACo, Contextual) reuse the pieces: encoder(), predictor_v2()/_v3(),
// decoder() (hidden states before the output layer, the token embedding table, per-layer
// access) and the stage functions Encode / Predict / DecodeLogProbs below.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/model_files.h"
#include "layers/cif_predictor.h"
#include "layers/cif_predictor_v3.h"
#include "layers/linear_loader.h"
#include "layers/packed_sequences.h"
#include "layers/paraformer_decoder.h"
#include "layers/sanm_encoder.h"
#include "layers/workspace.h"

namespace funasr::models {

enum class ParaformerKind {
  kParaformer,  // config `model: Paraformer` (CifPredictorV2)
  kBiCif,       // config `model: BiCifParaformer` (CifPredictorV3, timestamps)
};

struct ParaformerLoadOptions {
  // Quantise the encoder/decoder Linear weights to int8 per output channel; layer norms,
  // softmax, FSMN, the CIF predictor and its timestamp head stay fp32.
  bool quantize_int8 = false;
  // Also accept model classes whose Paraformer core is loadable on its own, for the hotword
  // models building on this class (models/paraformer/seaco_paraformer_model.h,
  // contextual_paraformer_model.h): SeacoParaformer loads as its BiCif core (the hotword
  // parts ignored); ContextualParaformer loads its encoder and CifPredictorV2 only — its
  // ContextualParaformerDecoder is not loaded here and DecodeLogProbs/Run refuse to run.
  bool allow_hotword_classes = false;
};

struct ParaformerConfig {
  std::string model_class;  // config `model`
  ParaformerKind kind = ParaformerKind::kParaformer;
  int64_t input_size = 560;  // frontend_conf.n_mels * frontend_conf.lfr_m
  int64_t vocab_size = 0;    // tokens.json size (or the output layer's rows)
  int64_t blank_id = 0;      // model_conf.blank_id
  int64_t sos = 1;           // model_conf.sos
  int64_t eos = 2;           // model_conf.eos
  layers::SanmEncoderConfig encoder;
  layers::CifPredictorConfig predictor;
  layers::ParaformerDecoderConfig decoder;
  // config `decoder`: ParaformerSANMDecoder, or ContextualParaformerDecoder (not loaded by
  // ParaformerModel, see ParaformerLoadOptions::allow_hotword_classes).
  std::string decoder_class = "ParaformerSANMDecoder";
  bool has_plain_decoder() const { return decoder_class == "ParaformerSANMDecoder"; }

  static ParaformerConfig FromModelFiles(const io::ModelFiles& files, bool allow_hotword_classes);
};

// Per-request mutable state (scratch memory). Reusing one per thread avoids re-allocation.
struct ParaformerState {
  layers::Workspace workspace;
};

struct ParaformerRequest {
  int num_threads = 0;               // > 0: threads for this request (ScopedNumThreads)
  bool timestamps = true;            // BiCif: compute us_alphas / us_peaks
  bool keep_intermediates = false;   // fill the encoder/predictor fields of the output
  bool keep_log_probs = false;       // fill log_probs [N, vocab]
};

// One utterance's result.
struct ParaformerOutput {
  std::vector<int64_t> token_ids;   // greedy ids without blank / <s> / </s>
  std::vector<int64_t> argmax_ids;  // argmax per CIF token, before the removal [N]
  int64_t num_frames = 0;           // encoder frames T
  int64_t token_num = 0;            // N (CIF tokens = decoder length)
  float alpha_sum = 0.f;            // Σ alphas incl. the tail
  // BiCif (when requested): the upsampled timestamp alphas and peaks [3T] (§3.5), to be
  // passed to ts_prediction_lfr6_standard together with the tokens.
  std::vector<float> us_alphas;
  std::vector<float> us_peaks;
  std::vector<float> ds_alphas;     // [T] (keep_intermediates only)
  std::vector<float> ds_peaks;      // [T] (keep_intermediates only)
  // keep_intermediates:
  std::vector<float> encoder_out;      // [T, d]
  std::vector<float> alphas;           // [T+1]
  std::vector<float> peaks;            // [T+1] (cif_peak)
  std::vector<float> acoustic_embeds;  // [N, d]
  // keep_log_probs:
  std::vector<float> log_probs;        // [N, vocab]
};

class ParaformerModel {
 public:
  static std::shared_ptr<const ParaformerModel> Load(std::shared_ptr<const io::ModelFiles> files,
                                                     const ParaformerLoadOptions& options = {});

  // Runs a batch of feature matrices (each [T_i, input_size], packed back to back in
  // `features` as described by `seqs`).
  std::vector<ParaformerOutput> Run(const float* features, const layers::PackedSequences& seqs,
                                    ParaformerState& state,
                                    const ParaformerRequest& request = {}) const;
  // Convenience: one utterance, features [frames, input_size].
  ParaformerOutput RunOne(const float* features, int64_t frames, ParaformerState& state,
                          const ParaformerRequest& request = {}) const;

  // --- Stages (for tests and hotword variants) ---
  // encoder_out [rows, d] for packed features.
  void Encode(const float* features, const layers::PackedSequences& seqs, float* encoder_out,
              ParaformerState& state) const;
  // CIF predictor on one sequence of encoder frames.
  layers::CifPrediction Predict(const float* encoder_out, int64_t frames,
                                ParaformerState& state) const;
  // Log-probabilities [rows_n, vocab] for packed acoustic embeddings over packed encoder
  // output; hidden (optional, [rows_n, d]) receives the decoder states before the output
  // layer.
  void DecodeLogProbs(const float* embeds, const layers::PackedSequences& tokens,
                      const float* encoder_out, const layers::PackedSequences& frames,
                      float* log_probs, ParaformerState& state, float* hidden = nullptr) const;
  // Encoder and CIF predictor over packed features, the acoustic embeddings packed by token
  // count: what every Paraformer variant runs before its decoder. Buffers come from
  // state.workspace; the caller holds a Workspace::Scope around their use.
  struct AcousticPass {
    float* encoder_out = nullptr;                    // [frame rows, d]
    std::vector<layers::CifPrediction> predictions;  // per sequence
    layers::PackedSequences tokens;                  // token counts per sequence
    float* embeds = nullptr;                         // [token rows, d]
  };
  AcousticPass EncodeAndPredict(const float* features, const layers::PackedSequences& seqs,
                                ParaformerState& state) const;
  // The fields of ParaformerOutput for sequence s of a pass, given its log-probs [n, vocab]:
  // greedy ids, the upsampled-CIF timestamps when `timestamps` (and a token was predicted:
  // FunASR returns none otherwise), and the intermediates / log-probs the request keeps
  // (moved out of the pass's prediction).
  void FillOutput(AcousticPass& pass, const layers::PackedSequences& seqs, int64_t s,
                  const float* log_probs, const ParaformerRequest& request, bool timestamps,
                  ParaformerState& state, ParaformerOutput& out) const;
  // Greedy decoding of one sequence's log-probs [n, vocab]: argmax (first maximum) per row;
  // returns the ids without blank/<s>/</s> and fills argmax_ids when not null.
  std::vector<int64_t> Greedy(const float* log_probs, int64_t n,
                              std::vector<int64_t>* argmax_ids) const;

  const ParaformerConfig& config() const { return config_; }
  ParaformerKind kind() const { return config_.kind; }
  bool has_timestamps() const { return config_.kind == ParaformerKind::kBiCif; }
  bool quantized() const { return quantized_; }
  // The model's files without their weights (ModelFiles::WithoutWeights): config, tokens,
  // CMVN, seg_dict. The model keeps no reference to the weights it copied or quantised.
  const io::ModelFiles& files() const { return *files_; }
  const layers::SanmEncoder& encoder() const { return encoder_; }
  const layers::ParaformerSanmDecoder& decoder() const { return decoder_; }
  // The predictor in use: V2 for Paraformer; for BiCif the V3's alpha part.
  const layers::CifPredictorV2& predictor_v2() const {
    return config_.kind == ParaformerKind::kBiCif ? predictor_v3_.base() : predictor_v2_;
  }
  // Only for BiCif.
  const layers::CifPredictorV3& predictor_v3() const { return predictor_v3_; }

 private:
  ParaformerModel() = default;

  std::shared_ptr<const io::ModelFiles> files_;
  ParaformerConfig config_;
  bool quantized_ = false;
  layers::SanmEncoder encoder_;
  layers::CifPredictorV2 predictor_v2_;
  layers::CifPredictorV3 predictor_v3_;
  layers::ParaformerSanmDecoder decoder_;
};

}  // namespace funasr::models
