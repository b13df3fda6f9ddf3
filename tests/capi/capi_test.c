/*
 * C API test, compiled as C89 and as C99 with -pedantic -Werror: the header is plain C and
 * every entry point handles bad arguments with a status and a message instead of crashing.
 *
 * Usage: capi_test SOURCE_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funasr/funasr.h"

static int g_failures = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++g_failures;                                                        \
    }                                                                      \
  } while (0)

static int contains(const char* haystack, const char* needle) {
  return haystack != NULL && strstr(haystack, needle) != NULL;
}

static void test_version_and_status(void) {
  CHECK(strlen(funasr_version()) > 0);
  CHECK(strcmp(funasr_status_string(FUNASR_OK), "ok") == 0);
  CHECK(strcmp(funasr_status_string(FUNASR_ERR_CANCELLED), "cancelled") == 0);
  CHECK(strcmp(funasr_status_string(12345), "unknown status") == 0);
  CHECK(funasr_last_error() != NULL);
}

static void test_default_params(void) {
  funasr_context_params cp = funasr_context_default_params();
  funasr_transcribe_params tp = funasr_transcribe_default_params();
  CHECK(cp.vad_model == NULL && cp.asr_model == NULL && cp.punc_model == NULL);
  CHECK(strcmp(cp.dtype, "auto") == 0);
  CHECK(cp.max_segment_ms == 60000);
  CHECK(cp.max_end_silence_ms < 0);
  CHECK(cp.vad_dynamic_silence == 1);
  CHECK(cp.batch_seconds == 300.0f);
  CHECK(cp.sentence_info == 1);
  CHECK(cp.n_threads == 0);
  CHECK(tp.key == NULL && tp.hotwords == NULL && tp.progress_callback == NULL);
  CHECK(tp.n_threads == 0);
}

static void test_context_errors(void) {
  funasr_context_params cp = funasr_context_default_params();
  funasr_context* ctx = (funasr_context*)1;
  int st;

  st = funasr_context_create(NULL, &ctx);
  CHECK(st == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(ctx == NULL);
  CHECK(contains(funasr_last_error(), "params"));
  CHECK(funasr_context_create(&cp, NULL) == FUNASR_ERR_INVALID_ARGUMENT);

  /* No model at all. */
  st = funasr_context_create(&cp, &ctx);
  CHECK(st == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(ctx == NULL);
  CHECK(contains(funasr_last_error(), "no model"));

  /* A model path that does not exist: an error naming the path. */
  cp.vad_model = "/nonexistent/fsmn-vad";
  st = funasr_context_create(&cp, &ctx);
  CHECK(st != FUNASR_OK);
  CHECK(ctx == NULL);
  CHECK(contains(funasr_last_error(), "/nonexistent/fsmn-vad"));

  /* Out-of-range options are rejected before any model is read. */
  cp = funasr_context_default_params();
  cp.asr_model = "/nonexistent/asr";
  cp.max_segment_ms = 10;
  CHECK(funasr_context_create(&cp, &ctx) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(contains(funasr_last_error(), "max_segment_ms"));
  cp.max_segment_ms = 60000;
  cp.dtype = "f64";
  CHECK(funasr_context_create(&cp, &ctx) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(contains(funasr_last_error(), "dtype"));
  cp.dtype = "auto";
  cp.batch_seconds = -1.0f;
  CHECK(funasr_context_create(&cp, &ctx) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(contains(funasr_last_error(), "batch_seconds"));

  /* NULL contexts everywhere. */
  funasr_context_free(NULL);
  CHECK(funasr_context_has_vad(NULL) == 0);
  CHECK(funasr_context_has_asr(NULL) == 0);
  CHECK(funasr_context_has_punc(NULL) == 0);
  CHECK(funasr_context_has_timestamps(NULL) == 0);
  CHECK(funasr_context_has_hotwords(NULL) == 0);
}

static void test_null_requests(void) {
  funasr_result* res = (funasr_result*)1;
  funasr_state* state = (funasr_state*)1;
  float pcm[16];
  memset(pcm, 0, sizeof(pcm));

  CHECK(funasr_transcribe_file(NULL, NULL, "a.wav", NULL, &res) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK(contains(funasr_last_error(), "ctx"));
  res = (funasr_result*)1;
  CHECK(funasr_transcribe_file(NULL, NULL, NULL, NULL, &res) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);
  CHECK(funasr_transcribe_file(NULL, NULL, "a.wav", NULL, NULL) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_transcribe_pcm_f32(NULL, NULL, pcm, 16, 16000, NULL, &res) ==
        FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_transcribe_pcm_f32(NULL, NULL, NULL, 16, 16000, NULL, &res) ==
        FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(contains(funasr_last_error(), "samples"));
  CHECK(funasr_transcribe_pcm_s16(NULL, NULL, NULL, 16, 16000, NULL, &res) ==
        FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_punctuate(NULL, "abc", &res) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(res == NULL);

  CHECK(funasr_state_create(NULL, &state) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(state == NULL);
  CHECK(funasr_state_cancel(NULL) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_state_reset(NULL) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_state_last_error(NULL) == NULL);
  funasr_state_free(NULL);
}

static void test_null_results(void) {
  funasr_sentence s;
  funasr_span span;
  funasr_result_free(NULL);
  CHECK(funasr_result_key(NULL) == NULL);
  CHECK(funasr_result_text(NULL) == NULL);
  CHECK(funasr_result_raw_text(NULL) == NULL);
  CHECK(funasr_result_json(NULL) == NULL);
  CHECK(funasr_result_duration_ms(NULL) == 0.0);
  CHECK(funasr_result_n_sentences(NULL) == -FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_result_n_tokens(NULL) == -FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_result_n_vad_segments(NULL) == -FUNASR_ERR_INVALID_ARGUMENT);
  s.text = "x";
  CHECK(funasr_result_sentence(NULL, 0, &s) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(s.text == NULL);
  CHECK(funasr_result_token(NULL, 0, &span) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_result_vad_segment(NULL, 0, &span) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_result_vad_segment(NULL, 0, NULL) == FUNASR_ERR_INVALID_ARGUMENT);
}

int main(int argc, char** argv) {
  (void)argc;
  (void)argv;
  test_version_and_status();
  test_default_params();
  test_context_errors();
  test_null_requests();
  test_null_results();
  if (g_failures) {
    fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  printf("C API test passed\n");
  return 0;
}
