/*
 * libfunasr C API: FunASR speech recognition (FSMN-VAD, Paraformer, CT-Transformer
 * punctuation) from C and from any language with a C FFI.
 *
 * A plain C ABI: opaque handles, plain structs, no C++ types; compiles as C89 and C99.
 *
 *   funasr_context_params cp = funasr_context_default_params();
 *   cp.vad_model = "models/fsmn-vad";
 *   cp.asr_model = "/path/to/paraformer-zh";
 *   cp.punc_model = "/path/to/ct-punc";
 *   funasr_context* ctx = NULL;
 *   if (funasr_context_create(&cp, &ctx) != FUNASR_OK) {
 *     fprintf(stderr, "%s\n", funasr_last_error());
 *   }
 *   funasr_transcribe_params tp = funasr_transcribe_default_params();
 *   funasr_result* res = NULL;
 *   if (funasr_transcribe_file(ctx, NULL, "a.wav", &tp, &res) == FUNASR_OK) {
 *     printf("%s\n", funasr_result_text(res));
 *     funasr_result_free(res);
 *   }
 *   funasr_context_free(ctx);
 *
 * Handles
 *   funasr_context  loaded models and options. Immutable after creation: any number of
 *                   threads may transcribe with one context at the same time.
 *   funasr_state    per-stream request state: cancellation flag and the last error of the
 *                   requests run with it. Use one state per concurrent request (one thread
 *                   at a time); funasr_state_cancel() may be called from any thread.
 *                   Passing NULL instead of a state is allowed (no cancellation then).
 *   funasr_result   one transcription result; immutable, readable from several threads.
 *
 * Errors
 *   Functions that can fail return a funasr_status (FUNASR_OK = 0). The message of the last
 *   failure on the calling thread is funasr_last_error() (thread-local); requests run with a
 *   state also keep it in funasr_state_last_error(). NULL handles and NULL required pointers
 *   return FUNASR_ERR_INVALID_ARGUMENT, never crash. Getters that return a value instead of
 *   a status return NULL / 0 / a negative status for a NULL handle, as documented.
 *
 * Memory
 *   Every object is freed by its own function (funasr_context_free, funasr_state_free,
 *   funasr_result_free). Strings and arrays returned by result getters belong to the
 *   result and stay valid until it is freed. The free functions accept NULL.
 */
#ifndef FUNASR_FUNASR_H_
#define FUNASR_FUNASR_H_

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(FUNASR_SHARED_BUILD)
#define FUNASR_API __declspec(dllexport)
#elif defined(__GNUC__)
#define FUNASR_API __attribute__((visibility("default")))
#else
#define FUNASR_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status codes ------------------------------------------------------------------ */

typedef enum funasr_status {
  FUNASR_OK = 0,
  FUNASR_ERR_INVALID_ARGUMENT = 1, /* NULL handle/pointer, value out of range, bad input */
  FUNASR_ERR_IO = 2,               /* a file is missing, unreadable or truncated */
  FUNASR_ERR_FORMAT = 3,           /* a file was read but its content is wrong */
  FUNASR_ERR_UNSUPPORTED = 4,      /* valid input this build or model cannot handle */
  FUNASR_ERR_CANCELLED = 5,        /* cancelled by the caller (state or progress callback) */
  FUNASR_ERR_INTERNAL = 6,         /* a bug in libfunasr */
  FUNASR_ERR_OUT_OF_MEMORY = 7
} funasr_status;

/* Library version, e.g. "0.1.0". Thread-safe. */
FUNASR_API const char* funasr_version(void);
/* Short constant description of a status code ("invalid argument", ...). Thread-safe. */
FUNASR_API const char* funasr_status_string(int status);
/* One-line message of the last failed call on the calling thread ("" if none). The string
 * stays valid until the next libfunasr call on this thread. Thread-safe (thread-local). */
FUNASR_API const char* funasr_last_error(void);

/* ---- context (models) -------------------------------------------------------------- */

typedef struct funasr_context funasr_context;

typedef struct funasr_context_params {
  /* Model paths: a released FunASR directory or a libfunasr native file. NULL or "" leaves
   * the stage out; at least one must be given. */
  const char* vad_model;
  const char* asr_model;
  const char* punc_model;
  const char* dtype;          /* "auto" (default), "f32" or "int8" */
  int n_threads;              /* compute threads per request; 0 = physical cores */
  int max_segment_ms;         /* longest speech segment (VAD max_single_segment_time); 60000 */
  int max_end_silence_ms;     /* VAD end silence; < 0 = model value (and dynamic silence) */
  int vad_dynamic_silence;    /* 1 (default, as FunASR) or 0 */
  float batch_seconds;        /* ASR batch duration budget; 300 as AutoModel; 0 = batch 1 */
  int sentence_info;          /* 1 (default): build sentence_info */
} funasr_context_params;

/* Defaults as in FunASR's AutoModel. Thread-safe. */
FUNASR_API funasr_context_params funasr_context_default_params(void);

/* Loads the models. On success *out is a new context; on failure *out is NULL.
 * Thread-safe (contexts are independent). */
FUNASR_API int funasr_context_create(const funasr_context_params* params, funasr_context** out);
/* Frees a context (NULL is fine). No request may be running on it. */
FUNASR_API void funasr_context_free(funasr_context* ctx);

/* Which stages the context has: 1 or 0 (0 for NULL). Thread-safe. */
FUNASR_API int funasr_context_has_vad(const funasr_context* ctx);
FUNASR_API int funasr_context_has_asr(const funasr_context* ctx);
FUNASR_API int funasr_context_has_punc(const funasr_context* ctx);
/* 1 when the ASR model produces token timestamps (BiCif / SeACo). Thread-safe. */
FUNASR_API int funasr_context_has_timestamps(const funasr_context* ctx);
/* 1 when the ASR model takes hotwords (SeACo / contextual). Thread-safe. */
FUNASR_API int funasr_context_has_hotwords(const funasr_context* ctx);

/* ---- per-stream state -------------------------------------------------------------- */

typedef struct funasr_state funasr_state;

/* Creates a request state for `ctx`. Thread-safe. */
FUNASR_API int funasr_state_create(const funasr_context* ctx, funasr_state** out);
/* Frees a state (NULL is fine). No request may be running with it. */
FUNASR_API void funasr_state_free(funasr_state* state);
/* Asks the request running with `state` (or the next one) to stop; it then returns
 * FUNASR_ERR_CANCELLED. Safe to call from any thread, e.g. a signal-handling thread. */
FUNASR_API int funasr_state_cancel(funasr_state* state);
/* Clears the cancellation flag so the state can run another request. */
FUNASR_API int funasr_state_reset(funasr_state* state);
/* Message of the last failed request run with `state` ("" if none; NULL for NULL).
 * Valid until the next request with this state. */
FUNASR_API const char* funasr_state_last_error(const funasr_state* state);

/* ---- transcription ----------------------------------------------------------------- */

/* Progress: fraction of the input processed (0..1) and speech segments decoded so far.
 * Called on the transcribing thread. Return 0 to continue, non-zero to cancel. */
typedef int (*funasr_progress_callback)(float fraction, int64_t segments_decoded,
                                        void* user_data);

typedef struct funasr_transcribe_params {
  const char* key;            /* result key; NULL = file name without extension ("pcm") */
  const char* hotwords;       /* whitespace-separated hotwords (SeACo / contextual); NULL */
  funasr_progress_callback progress_callback; /* NULL = none */
  void* progress_user_data;
  int n_threads;              /* > 0 overrides the context's n_threads for this call */
} funasr_transcribe_params;

/* Defaults (no key, no hotwords, no callback). Thread-safe. */
FUNASR_API funasr_transcribe_params funasr_transcribe_default_params(void);

typedef struct funasr_result funasr_result;

/* Transcribes an audio file ("-" = standard input). params may be NULL (defaults); state
 * may be NULL. On success *out is a new result (free with funasr_result_free); on failure
 * *out is NULL. Thread-safe for one context; a state must not be used by two calls at
 * once. With only a VAD model the result holds VAD segments; with only a punctuation
 * model use funasr_punctuate. */
FUNASR_API int funasr_transcribe_file(const funasr_context* ctx, funasr_state* state,
                                      const char* path, const funasr_transcribe_params* params,
                                      funasr_result** out);
/* Same for mono float PCM in [-1, 1] at any sample rate (resampled to 16 kHz). */
FUNASR_API int funasr_transcribe_pcm_f32(const funasr_context* ctx, funasr_state* state,
                                         const float* samples, size_t n_samples,
                                         int sample_rate,
                                         const funasr_transcribe_params* params,
                                         funasr_result** out);
/* Same for mono 16-bit PCM. */
FUNASR_API int funasr_transcribe_pcm_s16(const funasr_context* ctx, funasr_state* state,
                                         const int16_t* samples, size_t n_samples,
                                         int sample_rate,
                                         const funasr_transcribe_params* params,
                                         funasr_result** out);
/* Punctuates UTF-8 text with the context's punctuation model; the result's text is the
 * punctuated text. Thread-safe. */
FUNASR_API int funasr_punctuate(const funasr_context* ctx, const char* text,
                                funasr_result** out);

/* ---- results (all getters are thread-safe on one result) ---------------------------- */

/* A time span in milliseconds from the start of the audio. */
typedef struct funasr_span {
  int64_t start_ms;
  int64_t end_ms;
} funasr_span;

/* One sentence of sentence_info; pointers belong to the result. */
typedef struct funasr_sentence {
  const char* text;           /* UTF-8, with its closing punctuation */
  int64_t start_ms;
  int64_t end_ms;
  int n_tokens;               /* number of token timestamps in `tokens` */
  const funasr_span* tokens;  /* the sentence's token timestamps */
} funasr_sentence;

/* Frees a result (NULL is fine). */
FUNASR_API void funasr_result_free(funasr_result* result);

/* Strings: never NULL for a valid result ("" when absent); NULL for a NULL result. */
FUNASR_API const char* funasr_result_key(const funasr_result* result);
FUNASR_API const char* funasr_result_text(const funasr_result* result);     /* final text */
FUNASR_API const char* funasr_result_raw_text(const funasr_result* result); /* before punc */
/* The whole result as FunASR AutoModel's JSON dict (one line). */
FUNASR_API const char* funasr_result_json(const funasr_result* result);
/* Audio duration in ms (0 for NULL or text input). */
FUNASR_API double funasr_result_duration_ms(const funasr_result* result);

/* Counts: >= 0, or -FUNASR_ERR_INVALID_ARGUMENT for a NULL result. */
FUNASR_API int funasr_result_n_sentences(const funasr_result* result);
FUNASR_API int funasr_result_n_tokens(const funasr_result* result);      /* token timestamps */
FUNASR_API int funasr_result_n_vad_segments(const funasr_result* result);

/* Items by index: FUNASR_OK, or FUNASR_ERR_INVALID_ARGUMENT for a NULL pointer or an index
 * out of range (then *out is zeroed). */
FUNASR_API int funasr_result_sentence(const funasr_result* result, int i, funasr_sentence* out);
FUNASR_API int funasr_result_token(const funasr_result* result, int i, funasr_span* out);
FUNASR_API int funasr_result_vad_segment(const funasr_result* result, int i, funasr_span* out);

#ifdef __cplusplus
}
#endif

#endif /* FUNASR_FUNASR_H_ */
