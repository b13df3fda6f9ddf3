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

/* Reads a 16-bit PCM mono WAV (chunk walk); returns malloc'ed samples or NULL. */
static short* read_wav16(const char* path, size_t* n_samples, int* rate) {
  FILE* f = fopen(path, "rb");
  unsigned char hdr[12], ch[8];
  short* data = NULL;
  if (!f) return NULL;
  if (fread(hdr, 1, 12, f) != 12 || memcmp(hdr, "RIFF", 4) != 0 || memcmp(hdr + 8, "WAVE", 4) != 0) {
    fclose(f);
    return NULL;
  }
  while (fread(ch, 1, 8, f) == 8) {
    unsigned long size = (unsigned long)ch[4] | ((unsigned long)ch[5] << 8) |
                         ((unsigned long)ch[6] << 16) | ((unsigned long)ch[7] << 24);
    if (memcmp(ch, "fmt ", 4) == 0) {
      unsigned char fmt[16];
      if (size < 16 || fread(fmt, 1, 16, f) != 16) break;
      *rate = (int)((unsigned long)fmt[4] | ((unsigned long)fmt[5] << 8) |
                    ((unsigned long)fmt[6] << 16) | ((unsigned long)fmt[7] << 24));
      if (fseek(f, (long)(size - 16 + (size & 1)), SEEK_CUR) != 0) break;
    } else if (memcmp(ch, "data", 4) == 0) {
      size_t i;
      unsigned char* raw = (unsigned char*)malloc(size);
      if (!raw || fread(raw, 1, size, f) != size) {
        free(raw);
        break;
      }
      *n_samples = size / 2;
      data = (short*)malloc(*n_samples * sizeof(short));
      for (i = 0; data && i < *n_samples; ++i) {
        data[i] = (short)(raw[2 * i] | (raw[2 * i + 1] << 8));
      }
      free(raw);
      break;
    } else if (fseek(f, (long)(size + (size & 1)), SEEK_CUR) != 0) {
      break;
    }
  }
  fclose(f);
  return data;
}

typedef struct progress_log {
  int calls;
  float last;
  int monotone;
  int cancel_after; /* cancel at this call (0 = never) */
} progress_log;

static int on_progress(float fraction, int64_t segments, void* user) {
  progress_log* log = (progress_log*)user;
  (void)segments;
  if (fraction < log->last) log->monotone = 0;
  log->last = fraction;
  ++log->calls;
  return log->cancel_after > 0 && log->calls >= log->cancel_after;
}

/* The real FSMN-VAD shipped in models/fsmn-vad on FunASR's vad_example.wav (classic end
 * silence): FunASR's 12 published segments. */
static void test_vad_only(const char* source_dir) {
  static const int64_t expected[12][2] = {
      {70, 2340},      {2620, 6200},   {6480, 23670},  {23950, 26250},
      {26780, 28990},  {29950, 31430}, {31750, 37600}, {38210, 46900},
      {47310, 49630},  {49910, 56460}, {56740, 59540}, {59820, 70450}};
  char model[1024], wav[1024];
  funasr_context_params cp = funasr_context_default_params();
  funasr_transcribe_params tp = funasr_transcribe_default_params();
  funasr_context* ctx = NULL;
  funasr_state* state = NULL;
  funasr_result* res = NULL;
  progress_log log;
  size_t n = 0;
  int rate = 0, i, st;
  short* pcm;

  sprintf(model, "%s/models/fsmn-vad", source_dir);
  sprintf(wav, "%s/tests/data/reference/wavs/vad_example.wav", source_dir);
  pcm = read_wav16(wav, &n, &rate);
  CHECK(pcm != NULL && rate == 16000);
  if (!pcm) return;
  cp.vad_model = model;
  cp.vad_dynamic_silence = 0;
  st = funasr_context_create(&cp, &ctx);
  CHECK(st == FUNASR_OK);
  if (st != FUNASR_OK) {
    fprintf(stderr, "context: %s\n", funasr_last_error());
    free(pcm);
    return;
  }
  CHECK(funasr_context_has_vad(ctx) == 1 && funasr_context_has_asr(ctx) == 0);
  CHECK(funasr_state_create(ctx, &state) == FUNASR_OK);

  memset(&log, 0, sizeof(log));
  log.monotone = 1;
  tp.key = "vad_example";
  tp.progress_callback = on_progress;
  tp.progress_user_data = &log;
  st = funasr_transcribe_pcm_s16(ctx, state, pcm, n, 16000, &tp, &res);
  CHECK(st == FUNASR_OK);
  if (st == FUNASR_OK) {
    funasr_span span;
    CHECK(funasr_result_n_vad_segments(res) == 12);
    for (i = 0; i < 12 && i < funasr_result_n_vad_segments(res); ++i) {
      CHECK(funasr_result_vad_segment(res, i, &span) == FUNASR_OK);
      CHECK(span.start_ms == expected[i][0] && span.end_ms == expected[i][1]);
    }
    CHECK(funasr_result_vad_segment(res, 12, &span) == FUNASR_ERR_INVALID_ARGUMENT);
    CHECK(span.start_ms == 0 && span.end_ms == 0);
    CHECK(strcmp(funasr_result_key(res), "vad_example") == 0);
    CHECK(strncmp(funasr_result_json(res), "{\"key\":\"vad_example\",\"value\":[[70,2340],", 40) == 0);
    CHECK(funasr_result_n_tokens(res) == 0);
    CHECK(funasr_result_n_sentences(res) == 0);
    CHECK(funasr_result_duration_ms(res) > 70000 && funasr_result_duration_ms(res) < 71000);
    funasr_result_free(res);
  } else {
    fprintf(stderr, "transcribe: %s\n", funasr_last_error());
  }
  CHECK(log.calls >= 2 && log.monotone && log.last == 1.0f);

  /* Cancellation from the progress callback, then through the state. */
  memset(&log, 0, sizeof(log));
  log.monotone = 1;
  log.cancel_after = 1;
  res = (funasr_result*)1;
  CHECK(funasr_transcribe_pcm_s16(ctx, state, pcm, n, 16000, &tp, &res) == FUNASR_ERR_CANCELLED);
  CHECK(res == NULL);
  CHECK(contains(funasr_state_last_error(state), "cancel"));
  CHECK(funasr_state_cancel(state) == FUNASR_OK);
  CHECK(funasr_transcribe_pcm_s16(ctx, state, pcm, n, 16000, NULL, &res) == FUNASR_ERR_CANCELLED);
  CHECK(funasr_state_reset(state) == FUNASR_OK);
  CHECK(strcmp(funasr_state_last_error(state), "") == 0);
  CHECK(funasr_transcribe_pcm_s16(ctx, state, pcm, 16000, 16000, NULL, &res) == FUNASR_OK);
  funasr_result_free(res);

  /* The same from the file; a missing file is an I/O error naming it. */
  st = funasr_transcribe_file(ctx, NULL, wav, NULL, &res);
  CHECK(st == FUNASR_OK);
  if (st == FUNASR_OK) {
    CHECK(funasr_result_n_vad_segments(res) == 12);
    CHECK(strcmp(funasr_result_key(res), "vad_example") == 0);
    funasr_result_free(res);
  }
  CHECK(funasr_transcribe_file(ctx, NULL, "/nonexistent/x.wav", NULL, &res) == FUNASR_ERR_IO);
  CHECK(res == NULL);
  CHECK(contains(funasr_last_error(), "/nonexistent/x.wav"));

  /* Bad input on a valid context. */
  CHECK(funasr_transcribe_pcm_s16(ctx, NULL, pcm, n, 0, NULL, &res) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(funasr_punctuate(ctx, "abc", &res) == FUNASR_ERR_INVALID_ARGUMENT);
  CHECK(contains(funasr_last_error(), "punctuation"));

  funasr_state_free(state);
  funasr_context_free(ctx);
  free(pcm);
}

static void test_punctuation(const char* source_dir) {
  char model[1024];
  funasr_context_params cp = funasr_context_default_params();
  funasr_context* ctx = NULL;
  funasr_result* res = NULL;
  int st;
  sprintf(model, "%s/tests/data/reference/models/ct-punc-tiny", source_dir);
  cp.punc_model = model;
  st = funasr_context_create(&cp, &ctx);
  CHECK(st == FUNASR_OK);
  if (st != FUNASR_OK) {
    fprintf(stderr, "context: %s\n", funasr_last_error());
    return;
  }
  CHECK(funasr_punctuate(ctx, "今天天气很好我们去公园散步吧", &res) == FUNASR_OK);
  /* FunASR's output for this random-weight model (reference/ct-punc-tiny/zh_short). */
  CHECK(strcmp(funasr_result_text(res), "今，天天气很好我，们、去，公园散，步吧。") == 0);
  CHECK(contains(funasr_result_json(res), "\"punc_array\":[2,1,1,1,1,1,2,5,2,1,1,2,1,3]"));
  funasr_result_free(res);
  CHECK(funasr_punctuate(ctx, NULL, &res) == FUNASR_ERR_INVALID_ARGUMENT);
  /* Audio on a punctuation-only context is a usage error, not a crash. */
  {
    float silence[1600];
    memset(silence, 0, sizeof(silence));
    CHECK(funasr_transcribe_pcm_f32(ctx, NULL, silence, 1600, 16000, NULL, &res) ==
          FUNASR_ERR_INVALID_ARGUMENT);
  }
  funasr_context_free(ctx);
}

int main(int argc, char** argv) {
  test_version_and_status();
  test_default_params();
  test_context_errors();
  test_null_requests();
  test_null_results();
  if (argc > 1) {
    test_vad_only(argv[1]);
    test_punctuation(argv[1]);
  }
  if (g_failures) {
    fprintf(stderr, "%d check(s) failed\n", g_failures);
    return 1;
  }
  printf("C API test passed\n");
  return 0;
}
