// The C ABI of include/funasr/funasr.h over the C++ Pipeline.
//
// Every entry point catches every exception: a C caller never sees one. Failures become a
// funasr_status plus a message kept thread-locally (and in the request's state).
#include "funasr/funasr.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#include "funasr/error.h"
#include "funasr/pipeline.h"

struct funasr_context {
  std::shared_ptr<const funasr::Pipeline> pipeline;
};

struct funasr_state {
  const funasr_context* ctx = nullptr;
  std::atomic<bool> cancel{false};
  std::string last_error;
};

struct funasr_result {
  funasr::TranscriptionResult result;
  std::vector<funasr_span> tokens;     // result.timestamps as C spans
  std::vector<funasr_span> vad_segments;
  std::vector<std::vector<funasr_span>> sentence_tokens;
  mutable std::once_flag json_once;
  mutable std::string json;
};

namespace {

thread_local std::string g_last_error;

int StatusOf(funasr::ErrorCode code) {
  switch (code) {
    case funasr::ErrorCode::kOk: return FUNASR_OK;
    case funasr::ErrorCode::kInvalidArgument: return FUNASR_ERR_INVALID_ARGUMENT;
    case funasr::ErrorCode::kIoError: return FUNASR_ERR_IO;
    case funasr::ErrorCode::kFormatError: return FUNASR_ERR_FORMAT;
    case funasr::ErrorCode::kUnsupported: return FUNASR_ERR_UNSUPPORTED;
    case funasr::ErrorCode::kCancelled: return FUNASR_ERR_CANCELLED;
    case funasr::ErrorCode::kInternal: return FUNASR_ERR_INTERNAL;
  }
  return FUNASR_ERR_INTERNAL;
}

int SetError(int status, const std::string& message, funasr_state* state = nullptr) {
  g_last_error = message;
  if (state) state->last_error = message;
  return status;
}

// Runs `body` (returning a status), mapping exceptions to statuses and messages.
template <typename F>
int Guard(funasr_state* state, F&& body) {
  g_last_error.clear();
  try {
    return body();
  } catch (const funasr::Error& e) {
    return SetError(StatusOf(e.code()), e.what(), state);
  } catch (const std::bad_alloc&) {
    return SetError(FUNASR_ERR_OUT_OF_MEMORY, "out of memory", state);
  } catch (const std::exception& e) {
    return SetError(FUNASR_ERR_INTERNAL, std::string("internal error: ") + e.what(), state);
  } catch (...) {
    return SetError(FUNASR_ERR_INTERNAL, "internal error: unknown exception", state);
  }
}

int NullArgument(const char* function, const char* name) {
  return SetError(FUNASR_ERR_INVALID_ARGUMENT,
                  std::string(function) + ": " + name + " is NULL");
}

std::vector<std::string> SplitWords(const char* text) {
  std::vector<std::string> words;
  if (!text) return words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

funasr_span ToSpan(const funasr::TimeSpanMs& t) {
  funasr_span s;
  s.start_ms = t.start;
  s.end_ms = t.end;
  return s;
}

funasr_result* WrapResult(funasr::TranscriptionResult r) {
  auto out = std::make_unique<funasr_result>();
  out->result = std::move(r);
  for (const auto& t : out->result.timestamps) out->tokens.push_back(ToSpan(t));
  for (const auto& t : out->result.vad_segments) out->vad_segments.push_back(ToSpan(t));
  for (const auto& s : out->result.sentences) {
    std::vector<funasr_span> spans;
    for (const auto& t : s.timestamps) spans.push_back(ToSpan(t));
    out->sentence_tokens.push_back(std::move(spans));
  }
  return out.release();
}

funasr::TranscribeOptions MakeOptions(const funasr_transcribe_params* params,
                                      funasr_state* state) {
  funasr::TranscribeOptions options;
  if (params) {
    if (params->key) options.key = params->key;
    options.hotwords = SplitWords(params->hotwords);
    options.num_threads = params->n_threads;
    if (params->progress_callback) {
      funasr_progress_callback cb = params->progress_callback;
      void* user = params->progress_user_data;
      options.on_progress = [cb, user](const funasr::PipelineProgress& p) {
        return cb(static_cast<float>(p.fraction), p.segments_decoded, user) == 0;
      };
    }
  }
  if (state) options.cancel = &state->cancel;
  return options;
}

// Common checks and wrapping of the three transcribe entry points.
template <typename F>
int Transcribe(const char* function, const funasr_context* ctx, funasr_state* state,
               funasr_result** out, F&& run) {
  if (out) *out = nullptr;
  if (!out) return NullArgument(function, "out");
  if (!ctx) return NullArgument(function, "ctx");
  if (state && state->ctx != ctx) {
    return SetError(FUNASR_ERR_INVALID_ARGUMENT,
                    std::string(function) + ": state was created for another context", state);
  }
  if (state) state->last_error.clear();
  return Guard(state, [&] {
    *out = WrapResult(run());
    return FUNASR_OK;
  });
}

}  // namespace

extern "C" {

const char* funasr_version(void) { return "0.1.0"; }

const char* funasr_status_string(int status) {
  switch (status) {
    case FUNASR_OK: return "ok";
    case FUNASR_ERR_INVALID_ARGUMENT: return "invalid argument";
    case FUNASR_ERR_IO: return "i/o error";
    case FUNASR_ERR_FORMAT: return "format error";
    case FUNASR_ERR_UNSUPPORTED: return "unsupported";
    case FUNASR_ERR_CANCELLED: return "cancelled";
    case FUNASR_ERR_INTERNAL: return "internal error";
    case FUNASR_ERR_OUT_OF_MEMORY: return "out of memory";
    default: return "unknown status";
  }
}

const char* funasr_last_error(void) { return g_last_error.c_str(); }

funasr_context_params funasr_context_default_params(void) {
  funasr::PipelineOptions d;
  funasr_context_params p;
  p.vad_model = nullptr;
  p.asr_model = nullptr;
  p.punc_model = nullptr;
  p.dtype = "auto";
  p.n_threads = d.num_threads;
  p.max_segment_ms = d.max_segment_ms;
  p.max_end_silence_ms = d.max_end_silence_ms;
  p.vad_dynamic_silence = d.vad_dynamic_silence ? 1 : 0;
  p.batch_seconds = static_cast<float>(d.batch_seconds);
  p.sentence_info = d.sentence_info ? 1 : 0;
  return p;
}

int funasr_context_create(const funasr_context_params* params, funasr_context** out) {
  if (out) *out = nullptr;
  if (!out) return NullArgument("funasr_context_create", "out");
  if (!params) return NullArgument("funasr_context_create", "params");
  return Guard(nullptr, [&] {
    funasr::PipelineConfig config;
    if (params->vad_model) config.vad_model = params->vad_model;
    if (params->asr_model) config.asr_model = params->asr_model;
    if (params->punc_model) config.punc_model = params->punc_model;
    if (params->dtype) config.dtype = params->dtype;
    config.options.num_threads = params->n_threads;
    config.options.max_segment_ms = params->max_segment_ms;
    config.options.max_end_silence_ms = params->max_end_silence_ms;
    config.options.vad_dynamic_silence = params->vad_dynamic_silence != 0;
    config.options.batch_seconds = params->batch_seconds;
    config.options.sentence_info = params->sentence_info != 0;
    auto ctx = std::make_unique<funasr_context>();
    ctx->pipeline = funasr::Pipeline::Load(config);
    *out = ctx.release();
    return FUNASR_OK;
  });
}

void funasr_context_free(funasr_context* ctx) { delete ctx; }

int funasr_context_has_vad(const funasr_context* ctx) {
  return ctx && ctx->pipeline->has_vad() ? 1 : 0;
}
int funasr_context_has_asr(const funasr_context* ctx) {
  return ctx && ctx->pipeline->has_asr() ? 1 : 0;
}
int funasr_context_has_punc(const funasr_context* ctx) {
  return ctx && ctx->pipeline->has_punctuation() ? 1 : 0;
}
int funasr_context_has_timestamps(const funasr_context* ctx) {
  return ctx && ctx->pipeline->asr_has_timestamps() ? 1 : 0;
}
int funasr_context_has_hotwords(const funasr_context* ctx) {
  return ctx && ctx->pipeline->asr_supports_hotwords() ? 1 : 0;
}

int funasr_state_create(const funasr_context* ctx, funasr_state** out) {
  if (out) *out = nullptr;
  if (!out) return NullArgument("funasr_state_create", "out");
  if (!ctx) return NullArgument("funasr_state_create", "ctx");
  return Guard(nullptr, [&] {
    auto state = std::make_unique<funasr_state>();
    state->ctx = ctx;
    *out = state.release();
    return FUNASR_OK;
  });
}

void funasr_state_free(funasr_state* state) { delete state; }

int funasr_state_cancel(funasr_state* state) {
  if (!state) return NullArgument("funasr_state_cancel", "state");
  state->cancel.store(true);
  return FUNASR_OK;
}

int funasr_state_reset(funasr_state* state) {
  if (!state) return NullArgument("funasr_state_reset", "state");
  state->cancel.store(false);
  state->last_error.clear();
  return FUNASR_OK;
}

const char* funasr_state_last_error(const funasr_state* state) {
  return state ? state->last_error.c_str() : nullptr;
}

funasr_transcribe_params funasr_transcribe_default_params(void) {
  funasr_transcribe_params p;
  p.key = nullptr;
  p.hotwords = nullptr;
  p.progress_callback = nullptr;
  p.progress_user_data = nullptr;
  p.n_threads = 0;
  return p;
}

int funasr_transcribe_file(const funasr_context* ctx, funasr_state* state, const char* path,
                           const funasr_transcribe_params* params, funasr_result** out) {
  if (!path) {
    if (out) *out = nullptr;
    return NullArgument("funasr_transcribe_file", "path");
  }
  return Transcribe("funasr_transcribe_file", ctx, state, out, [&] {
    return ctx->pipeline->TranscribeFile(path, MakeOptions(params, state));
  });
}

int funasr_transcribe_pcm_f32(const funasr_context* ctx, funasr_state* state,
                              const float* samples, size_t n_samples, int sample_rate,
                              const funasr_transcribe_params* params, funasr_result** out) {
  if (!samples && n_samples > 0) {
    if (out) *out = nullptr;
    return NullArgument("funasr_transcribe_pcm_f32", "samples");
  }
  return Transcribe("funasr_transcribe_pcm_f32", ctx, state, out, [&] {
    return ctx->pipeline->TranscribePcm(samples, n_samples, sample_rate,
                                        MakeOptions(params, state));
  });
}

int funasr_transcribe_pcm_s16(const funasr_context* ctx, funasr_state* state,
                              const int16_t* samples, size_t n_samples, int sample_rate,
                              const funasr_transcribe_params* params, funasr_result** out) {
  if (!samples && n_samples > 0) {
    if (out) *out = nullptr;
    return NullArgument("funasr_transcribe_pcm_s16", "samples");
  }
  return Transcribe("funasr_transcribe_pcm_s16", ctx, state, out, [&] {
    return ctx->pipeline->TranscribePcm16(samples, n_samples, sample_rate,
                                          MakeOptions(params, state));
  });
}

int funasr_punctuate(const funasr_context* ctx, const char* text, funasr_result** out) {
  if (out) *out = nullptr;
  if (!out) return NullArgument("funasr_punctuate", "out");
  if (!ctx) return NullArgument("funasr_punctuate", "ctx");
  if (!text) return NullArgument("funasr_punctuate", "text");
  return Guard(nullptr, [&] {
    funasr::PunctuationOutput p = ctx->pipeline->Punctuate(text);
    funasr::TranscriptionResult r;
    r.key = "text";
    r.has_asr = true;
    r.raw_text = text;
    r.text = p.text;
    r.punctuated = true;
    r.punc_array = std::move(p.punc_ids);
    *out = WrapResult(std::move(r));
    return FUNASR_OK;
  });
}

void funasr_result_free(funasr_result* result) { delete result; }

const char* funasr_result_key(const funasr_result* r) { return r ? r->result.key.c_str() : nullptr; }
const char* funasr_result_text(const funasr_result* r) { return r ? r->result.text.c_str() : nullptr; }
const char* funasr_result_raw_text(const funasr_result* r) {
  return r ? r->result.raw_text.c_str() : nullptr;
}

const char* funasr_result_json(const funasr_result* r) {
  if (!r) return nullptr;
  std::call_once(r->json_once, [r] {
    try {
      r->json = funasr::ToAutoModelJson(r->result);
    } catch (...) {
      r->json = "{}";
    }
  });
  return r->json.c_str();
}

double funasr_result_duration_ms(const funasr_result* r) { return r ? r->result.duration_ms : 0; }

int funasr_result_n_sentences(const funasr_result* r) {
  return r ? static_cast<int>(r->result.sentences.size()) : -FUNASR_ERR_INVALID_ARGUMENT;
}
int funasr_result_n_tokens(const funasr_result* r) {
  return r ? static_cast<int>(r->tokens.size()) : -FUNASR_ERR_INVALID_ARGUMENT;
}
int funasr_result_n_vad_segments(const funasr_result* r) {
  return r ? static_cast<int>(r->vad_segments.size()) : -FUNASR_ERR_INVALID_ARGUMENT;
}

int funasr_result_sentence(const funasr_result* r, int i, funasr_sentence* out) {
  if (out) std::memset(out, 0, sizeof(*out));
  if (!r) return NullArgument("funasr_result_sentence", "result");
  if (!out) return NullArgument("funasr_result_sentence", "out");
  if (i < 0 || static_cast<size_t>(i) >= r->result.sentences.size()) {
    return SetError(FUNASR_ERR_INVALID_ARGUMENT, "funasr_result_sentence: index " +
                    std::to_string(i) + " out of range [0, " +
                    std::to_string(r->result.sentences.size()) + ")");
  }
  const auto& s = r->result.sentences[static_cast<size_t>(i)];
  const auto& spans = r->sentence_tokens[static_cast<size_t>(i)];
  out->text = s.text.c_str();
  out->start_ms = s.start_ms;
  out->end_ms = s.end_ms;
  out->n_tokens = static_cast<int>(spans.size());
  out->tokens = spans.empty() ? nullptr : spans.data();
  return FUNASR_OK;
}

static int SpanAt(const char* function, const std::vector<funasr_span>& v, int i,
                  funasr_span* out) {
  if (i < 0 || static_cast<size_t>(i) >= v.size()) {
    return SetError(FUNASR_ERR_INVALID_ARGUMENT, std::string(function) + ": index " +
                    std::to_string(i) + " out of range [0, " + std::to_string(v.size()) + ")");
  }
  *out = v[static_cast<size_t>(i)];
  return FUNASR_OK;
}

int funasr_result_token(const funasr_result* r, int i, funasr_span* out) {
  if (out) std::memset(out, 0, sizeof(*out));
  if (!r) return NullArgument("funasr_result_token", "result");
  if (!out) return NullArgument("funasr_result_token", "out");
  return SpanAt("funasr_result_token", r->tokens, i, out);
}

int funasr_result_vad_segment(const funasr_result* r, int i, funasr_span* out) {
  if (out) std::memset(out, 0, sizeof(*out));
  if (!r) return NullArgument("funasr_result_vad_segment", "result");
  if (!out) return NullArgument("funasr_result_vad_segment", "out");
  return SpanAt("funasr_result_vad_segment", r->vad_segments, i, out);
}

}  // extern "C"
